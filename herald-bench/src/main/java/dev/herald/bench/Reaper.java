package dev.herald.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Kills the bench's child processes (servers under test, load generator workers) still running when the runner
 * exits, e.g. on Ctrl-C or SIGTERM in the middle of a run: none of them may outlive it. (A SIGKILLed runner runs no
 * hook: workers then exit as their stdin closes; a server under test does not notice.)
 */
final class Reaper {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "bench-reaper"));
    }

    private Reaper() {}

    static Process register(Process process) {
        LIVE.add(process);
        return process;
    }

    static void forget(Process process) {
        LIVE.remove(process);
    }

    /** Gives an asked-to-stop process {@code graceSeconds} to exit, then kills it; either way it is forgotten. */
    static void awaitOrKill(Process process, long graceSeconds) {
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            forget(process);
        }
    }
}
