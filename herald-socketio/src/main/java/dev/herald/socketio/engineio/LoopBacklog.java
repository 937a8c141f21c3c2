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

    /** Reserves room for one delivery of {@code size} bytes, unless that would pass {@code limit}. */
    boolean tryQueue(long size, long limit) {
        while (true) {
            long now = bytes.get();
            if (now + size > limit) return false;
            if (bytes.compareAndSet(now, now + size)) return true;
        }
    }

    void done(long size) { bytes.addAndGet(-size); }

    long bytes() { return bytes.get(); }
}
