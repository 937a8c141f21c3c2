package dev.herald.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How much a connection, and the server as a whole, may fall behind before connections are shed (closed; their
 * clients reconnect) instead of memory growing without bound. See docs/configuration.md, "Slow consumers and
 * overload".
 *
 * @param maxPendingBytes     bytes a connection may have waiting to be written (its client reads too slowly)
 * @param maxPendingBytesTotal bytes all connections together may have waiting; each gets an equal share, at
 *                            most {@code maxPendingBytes} and at least 8 KiB
 * @param maxLoopBacklogBytes broadcast bytes an I/O thread may have queued and not yet written (the server is out of CPU)
 * @param maxBroadcastLag     how long a broadcast may wait for its I/O thread before the thread sheds half of its
 *                            connections
 */
public record FlowControl(long maxPendingBytes, long maxPendingBytesTotal, long maxLoopBacklogBytes, Duration maxBroadcastLag) {

    public FlowControl {
        Objects.requireNonNull(maxBroadcastLag, "maxBroadcastLag");
        if (maxPendingBytes < 64 * 1024) throw new IllegalArgumentException("max pending bytes must be at least 64 KiB, was " + maxPendingBytes);
        if (maxPendingBytesTotal < maxPendingBytes) throw new IllegalArgumentException("max pending bytes total (" + maxPendingBytesTotal + ") must be at least max pending bytes (" + maxPendingBytes + ")");
        if (maxLoopBacklogBytes < 64 * 1024) throw new IllegalArgumentException("max loop backlog bytes must be at least 64 KiB, was " + maxLoopBacklogBytes);
        if (maxBroadcastLag.isNegative() || maxBroadcastLag.isZero()) throw new IllegalArgumentException("max broadcast lag must be positive");
    }

    /** 1 MiB per connection (about a thousand typical events), 128 MiB for all, 16 MiB per I/O thread, 5 s. */
    public static FlowControl defaults() {
        return new FlowControl(1024L * 1024, 128L * 1024 * 1024, 16L * 1024 * 1024, Duration.ofSeconds(5));
    }
}
