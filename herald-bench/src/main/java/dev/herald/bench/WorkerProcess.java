package dev.herald.bench;

import dev.herald.bench.Protocol.Command;
import dev.herald.bench.Protocol.Done;
import dev.herald.bench.Protocol.Failed;
import dev.herald.bench.Protocol.Hello;
import dev.herald.bench.Protocol.Reply;
import dev.herald.bench.Protocol.Stop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The runner's end of one load generator worker: a JVM started with the runner's own java and classpath (the bench
 * jar, or the test classpath) running {@code BenchMain worker}, driven over its stdin/stdout with {@link Protocol}.
 * Its stderr is forwarded, prefixed, to the runner's and its last lines kept for error messages. A worker that dies,
 * fails a command or does not answer within the deadline turns into an exception naming it, with that tail.
 * Workers never outlive the runner: {@link #close} stops or kills them, a shutdown hook kills those still running
 * when the runner exits, and a worker exits by itself when its stdin closes (the runner killed outright).
 */
final class WorkerProcess implements AutoCloseable {

    private static final int TAIL_LINES = 30;

    private final int number;
    private final Process process;
    private final Writer stdin;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final Thread stderrPump;
    private final Consumer<String> stderrSink;
    /** The reply awaited: one command at a time (the first one is the worker's hello). */
    private volatile CompletableFuture<Reply> pending = new CompletableFuture<>();
    private volatile String pendingName = "hello";
    /** Why the worker can answer no more (it exited), once known. */
    private volatile String gone;

    /**
     * @param javaOpts   JVM options of the worker
     * @param stderrSink where the worker's stderr lines go (already prefixed with its name)
     */
    WorkerProcess(int number, List<String> javaOpts, Consumer<String> stderrSink) throws IOException {
        this.number = number;
        this.stderrSink = stderrSink;
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(javaOpts);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchMain.class.getName(), "worker"));
        this.process = Reaper.register(new ProcessBuilder(command).start());
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.stderrPump = pump(process.getErrorStream(), this::onStderr, "stderr");
        pump(process.getInputStream(), this::onReply, "stdout");
    }

    /** The java running this JVM: workers run on the same one. */
    static String javaExecutable() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(java)) return java.toString();
        return ProcessHandle.current().info().command().orElse("java");
    }

    String name() { return "load generator worker " + number + " (pid " + process.pid() + ")"; }

    long pid() { return process.pid(); }

    Process process() { return process; }

    /** The worker's first line: it is up and reads commands. */
    Hello awaitHello(Duration deadline) {
        return await(pending, Hello.class, deadline);
    }

    /** Sends a command; the future completes with its reply, or exceptionally when the worker fails or dies. */
    CompletableFuture<Reply> send(Command command) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        pendingName = Protocol.nameOf(command);
        pending = reply;
        if (gone != null) {
            reply.completeExceptionally(failure(gone));
            return reply;
        }
        try {
            stdin.write(Protocol.write(command));
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            // The worker died; the stdout pump reports how once it sees the end of the stream.
            if (gone != null) reply.completeExceptionally(failure(gone));
        }
        return reply;
    }

    /** Waits for a reply of the given type; anything else (a failure, death, the deadline) throws, naming the worker. */
    <T extends Reply> T await(CompletableFuture<Reply> reply, Class<T> type, Duration deadline) {
        String what = pendingName;
        try {
            Reply r = reply.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (!type.isInstance(r)) throw failure("answered '" + what + "' with " + Protocol.write(r));
            return type.cast(r);
        } catch (TimeoutException e) {
            throw failure(String.format(java.util.Locale.ROOT, "did not answer '%s' within %d s", what, deadline.toSeconds()));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("was interrupted while waiting for '" + what + "'");
        }
    }

    <T extends Reply> T call(Command command, Class<T> type, Duration deadline) {
        return await(send(command), type, deadline);
    }

    private void onReply(String line) {
        Reply reply;
        try {
            reply = Protocol.readReply(line);
        } catch (IOException e) {
            onStderr("(stdout, not a reply) " + line); // stray output: kept for the error messages, ignored
            return;
        }
        if (reply instanceof Failed f) pending.completeExceptionally(failure("failed on '" + pendingName + "': " + f.message()));
        else pending.complete(reply);
    }

    private void onStderr(String line) {
        synchronized (stderrTail) {
            stderrTail.addLast(line);
            if (stderrTail.size() > TAIL_LINES) stderrTail.removeFirst();
        }
        stderrSink.accept("[worker " + number + "] " + line);
    }

    /** stdout ended: the worker exited (or is about to). */
    private void onEnd() {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            stderrPump.join(2000); // its last words, for the message
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gone = process.isAlive() ? "closed its stdout" : "exited with code " + process.exitValue();
        pending.completeExceptionally(failure(gone + " while '" + pendingName + "' was awaited"));
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException(name() + " " + what + stderrTail());
    }

    /** "; its stderr ends with: ..." (the last lines), for error messages. */
    String stderrTail() {
        synchronized (stderrTail) {
            if (stderrTail.isEmpty()) return "; its stderr is empty";
            return "; its stderr ends with:\n    " + String.join("\n    ", stderrTail);
        }
    }

    private Thread pump(InputStream stream, Consumer<String> onLine, String what) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) onLine.accept(line);
            } catch (IOException ignored) {
                // the process ended
            }
            if (what.equals("stdout")) onEnd();
        }, "bench-worker-" + number + "-" + what);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Asks the worker to stop (closing its connections), closes its stdin, and kills it if it is still there after 10 s. */
    @Override
    public void close() {
        try {
            if (gone == null && process.isAlive()) call(new Stop(), Done.class, Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            // it is killed below
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already closed
        }
        Reaper.awaitOrKill(process, 10);
    }
}
