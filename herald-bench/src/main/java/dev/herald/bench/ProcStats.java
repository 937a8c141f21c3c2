package dev.herald.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, read from {@code /proc/<pid>/stat} (utime + stime, in clock ticks)
 * and {@code /proc/<pid>/status} (VmRSS), and this process's open-files limit. Linux only; elsewhere the values are -1.
 */
public final class ProcStats {

    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ): 100 on every Linux build in use. */
    static final long TICKS_PER_SECOND = 100;

    private ProcStats() {}

    /** User + system CPU time of the process so far, microseconds; -1 when unreadable. */
    public static long cpuMicros(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long utime = Long.parseLong(f[11]); // field 14
            long stime = Long.parseLong(f[12]); // field 15
            return (utime + stime) * 1_000_000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The open-files limit of this process (ulimit -n, as the JVM raised it), which bounds its sockets; -1 when unknown. */
    public static long openFilesLimit() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            return os.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** Resident set size, bytes; -1 when unreadable. */
    public static long rssBytes(long pid) {
        long kb = statusKb(pid, "VmRSS:");
        return kb < 0 ? -1 : kb * 1024;
    }

    /** Number of threads of the process; -1 when unreadable. */
    public static long threads(long pid) {
        return statusKb(pid, "Threads:");
    }

    private static long statusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key)) {
                    String v = line.substring(key.length()).trim();
                    int space = v.indexOf(' ');
                    return Long.parseLong(space < 0 ? v : v.substring(0, space));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }
}
