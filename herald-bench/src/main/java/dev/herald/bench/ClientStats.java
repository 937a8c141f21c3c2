package dev.herald.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the load generator's connections saw, written by their event loops. Events carry a "measured" flag set
 * by the publisher: warm-up events are delivered like any other but neither counted as delivered nor recorded.
 */
public final class ClientStats {

    /** Latencies in microseconds, publish to receive, of measured events received by the socket they were meant for. */
    final Recorder latency = new Recorder(3_600_000_000L, 3);
    /** Every event frame received (own or foreign, measured or not). */
    final LongAdder frames = new LongAdder();
    /** Measured events received by the socket they were meant for. */
    final LongAdder delivered = new LongAdder();
    /** Measured events received by a socket they were not meant for (another user's event). */
    final LongAdder foreign = new LongAdder();
    /** Frames the client could not read as an event of the bench. */
    final LongAdder unparsable = new LongAdder();
    /** Connections that closed without the bench asking. */
    final LongAdder unexpectedCloses = new LongAdder();
    /** Measured events received per connection (index = connection number). */
    final AtomicLongArray deliveredPerConnection;

    public ClientStats(int connections) {
        this.deliveredPerConnection = new AtomicLongArray(Math.max(1, connections));
    }

    public long frames() { return frames.sum(); }

    public long delivered() { return delivered.sum(); }

    public long foreign() { return foreign.sum(); }

    public long unparsable() { return unparsable.sum(); }

    public long unexpectedCloses() { return unexpectedCloses.sum(); }

    public long deliveredTo(int connection) { return deliveredPerConnection.get(connection); }

    /** The latencies recorded since the last call (the first call: since creation). */
    public Histogram takeLatencies() { return latency.getIntervalHistogram(); }
}
