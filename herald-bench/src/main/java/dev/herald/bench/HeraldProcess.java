package dev.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Herald as a separate process: {@code java <opts> -jar herald-server/target/herald.jar server --host 127.0.0.1
 * --port P --redis-url ... --api-key K --event-format seed}. The seed format makes Herald emit
 * {@code <channel>:<event>} with the data, the very frames the reference emits, so the two compare like for like;
 * unlike the reference, Herald sends an event only to the sockets subscribed to its channel.
 */
final class HeraldProcess implements Target {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private final ChildProcess process;
    private final int port;

    HeraldProcess(Path home, Path jar, String redisUrl, int port, List<String> javaOpts, List<String> extraArgs, Path log)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) throw new IllegalStateException(jar + " is missing: build with ./mvnw -B -DskipTests install");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOpts);
        command.addAll(List.of("-jar", jar.toString(), "server", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--redis-url", redisUrl, "--api-key", "bench-api-key", "--event-format", "seed"));
        command.addAll(extraArgs);
        this.port = port;
        this.process = new ChildProcess("herald", command, home, log);
        try {
            process.awaitLine(l -> l.startsWith("Herald is running"), 60_000);
        } catch (RuntimeException | InterruptedException e) {
            process.close();
            throw e;
        }
    }

    @Override public String name() { return "herald"; }
    @Override public int port() { return port; }
    @Override public long pid() { return process.pid(); }
    @Override public boolean subscribes() { return true; }
    @Override public boolean isAlive() { return process.isAlive(); }

    /** {@code jcmd <pid> GC.run}, then the "used" figure of {@code GC.heap_info}. */
    @Override
    public long heapAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher m = USED.matcher(jcmd("GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid()), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() { process.close(); }
}
