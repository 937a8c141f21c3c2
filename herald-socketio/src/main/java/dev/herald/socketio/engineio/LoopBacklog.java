package dev.herald.socketio.engineio;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Broadcast deliveries handed to one event loop and not yet run, in bytes: what a loop that falls behind (the
 * server out of CPU) would otherwise accumulate without bound. {@link FanOut} counts each queued delivery as its
 * frame's wire bytes plus a fixed overhead, and sheds beyond {@code maxLoopBacklogBytes}.
 */
final class LoopBacklog {

    /** A queued delivery's own objects (task, queue slot, references), roughly. */
    static final int DELIVERY_OVERHEAD = 64;

    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong queuedSoFar = new AtomicLong();
    /** Deliveries queued up to this number were queued before the last shed took effect; loop only. */
    private long shedBarrier;

    /**
     * Reserves room for one delivery of {@code size} bytes, unless that would pass {@code limit}.
     *
     * @return the delivery's sequence number on this loop, or {@code -1} when refused
     */
    long tryQueue(long size, long limit) {
        while (true) {
            long now = bytes.get();
            if (now + size > limit) return -1;
            if (bytes.compareAndSet(now, now + size)) return queuedSoFar.incrementAndGet();
        }
    }

    /**
     * Whether a late delivery ({@code sequence}) should shed connections: only one queued after the last shed,
     * since those queued before it could not have been sped up by it. If so, the next shed waits in turn for
     * the deliveries queued from now on. Loop only.
     */
    boolean shouldShed(long sequence) {
        if (sequence <= shedBarrier) return false;
        shedBarrier = queuedSoFar.get();
        return true;
    }

    void done(long size) { bytes.addAndGet(-size); }

    long bytes() { return bytes.get(); }
}
