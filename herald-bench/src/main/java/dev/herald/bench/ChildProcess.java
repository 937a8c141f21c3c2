package dev.herald.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A server under test run as a child process: output copied to a log file and offered line by line. */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;

    ChildProcess(String name, List<String> command, Path directory, Path log) throws IOException {
        this.name = name;
        this.log = log;
        Files.createDirectories(log.getParent());
        this.process = Reaper.register(new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start());
        Thread pump = new Thread(this::pump, name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    long pid() { return process.pid(); }

    boolean isAlive() { return process.isAlive(); }

    Path log() { return log; }

    /** Waits for a line of output matching {@code test}; fails when the process exits or the time is up. */
    String awaitLine(Predicate<String> test, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new IllegalStateException(name + " printed no expected line within " + timeoutMillis + " ms; see " + log);
            String line = lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
            if (line != null && test.test(line)) return line;
            if (line == null && !process.isAlive() && lines.isEmpty()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                lines.offer(line);
                if (lines.size() > 10_000) lines.poll();
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** Sends a signal by name ({@code USR2}, ...) with kill(1). */
    void signal(String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL after 15 s. */
    @Override
    public void close() {
        process.destroy();
        Reaper.awaitOrKill(process, 15);
    }
}
