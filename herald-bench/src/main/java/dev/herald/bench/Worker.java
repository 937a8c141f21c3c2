package dev.herald.bench;

import dev.herald.bench.Protocol.Command;
import dev.herald.bench.Protocol.Failed;
import dev.herald.bench.Protocol.Hello;
import dev.herald.bench.Protocol.Reply;
import dev.herald.bench.Protocol.Stop;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code herald-bench worker}: a load generator process started by the runner ({@link WorkerProcess}); hidden, as
 * nobody runs it by hand. It speaks {@link Protocol} on stdin/stdout and logs to stderr, runs each command with a
 * {@link SliceHandler}, and exits on {@code stop}, or at once when its stdin closes: the runner is gone (killed, even
 * with SIGKILL, its end of the pipe closes), and a worker must never outlive it.
 */
@picocli.CommandLine.Command(name = "worker", hidden = true, description = "A load generator process of the bench runner (internal).")
final class Worker implements Callable<Integer> {

    /** Set once {@code stop} is answered: the runner then closes stdin as a matter of course. */
    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        // The protocol owns stdout: anything else printing to System.out (a library, a stray debug line) goes to
        // stderr instead of corrupting the replies.
        PrintStream replies = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);

        // stdin is read on its own thread so that its end is noticed while the main thread is busy (opening
        // thousands of connections takes a while).
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readCommands(lines), "worker-stdin");
        reader.setDaemon(true);
        reader.start();

        replies.println(Protocol.write(new Hello(ProcessHandle.current().pid(), ProcStats.openFilesLimit())));
        try (SliceHandler slice = new SliceHandler()) {
            while (true) {
                String line = lines.take();
                Reply reply;
                Command command = null;
                try {
                    command = Protocol.readCommand(line);
                    reply = slice.handle(command);
                } catch (Exception e) {
                    e.printStackTrace();
                    reply = new Failed(String.valueOf(e));
                }
                if (command instanceof Stop) stopping = true;
                replies.println(Protocol.write(reply));
                if (stopping) return 0;
            }
        }
    }

    private void readCommands(BlockingQueue<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) lines.add(line);
            }
        } catch (IOException e) {
            // as good as closed
        }
        if (stopping) return; // the main thread is exiting
        System.err.println("worker: stdin closed, the runner is gone: exiting");
        // halt, not exit: nothing to save, and no shutdown hook or busy thread may keep this process alive.
        Runtime.getRuntime().halt(0);
    }
}
