package dev.herald.bench;

import dev.herald.bench.Protocol.ClockReading;
import dev.herald.bench.Protocol.Close;
import dev.herald.bench.Protocol.Collect;
import dev.herald.bench.Protocol.Command;
import dev.herald.bench.Protocol.Done;
import dev.herald.bench.Protocol.Measure;
import dev.herald.bench.Protocol.Open;
import dev.herald.bench.Protocol.Opened;
import dev.herald.bench.Protocol.Poll;
import dev.herald.bench.Protocol.Reply;
import dev.herald.bench.Protocol.SliceReport;
import dev.herald.bench.Protocol.Stop;
import dev.herald.bench.Protocol.Tally;

import java.time.Duration;
import java.util.BitSet;

/**
 * One process's slice of the load: its {@link LoadGenerator} and {@link ClientStats}, driven by {@link Protocol}
 * commands. The runner calls it directly for the slice it keeps in-process; a worker calls it for each line of its
 * stdin. Both run the very same code, so a slice measures the same wherever it runs.
 */
final class SliceHandler implements AutoCloseable {

    private LoadGenerator generator;
    private ClientStats stats = new ClientStats(0);
    private int count;

    /** Runs one command on the calling thread; {@link Open} returns once every connection is ready or has failed. */
    Reply handle(Command command) throws InterruptedException {
        if (command instanceof Open open) return open(open);
        if (command instanceof Poll) return new Tally(stats.frames(), stats.delivered());
        if (command instanceof Measure) {
            stats.takeLatencies(); // nothing measured so far (warm-up events are not recorded), but start clean
            return new Tally(stats.frames(), stats.delivered());
        }
        if (command instanceof Collect) return SliceReport.of(stats, count);
        if (command instanceof Protocol.Clock) return new ClockReading(System.nanoTime());
        if (command instanceof Close || command instanceof Stop) {
            close();
            return new Done();
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    private Opened open(Open o) throws InterruptedException {
        close();
        count = o.count();
        stats = new ClientStats(o.count());
        generator = new LoadGenerator(o.host(), o.port(), o.threads(), o.firstSource(), o.sources(), stats);
        int first = o.first();
        Bench.Naming naming = o.naming();
        LoadGenerator.OpenResult result = generator.openAll(o.count(), i -> naming.channel(first + i), o.subscribe(),
                o.concurrency(), Duration.ofMillis(o.timeoutMillis()));
        BitSet ready = new BitSet(o.count());
        for (BenchConnection c : generator.readyConnections()) ready.set(c.index);
        return Opened.of(result, ready);
    }

    /** Closes the connections (counted as expected, not as unexpected closes) and their event loops. */
    @Override
    public void close() {
        if (generator != null) {
            generator.close();
            generator = null;
        }
    }
}
