package dev.herald.socketio.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers one already-encoded packet to many sessions:
 * <ul>
 *   <li>the WebSocket frames are encoded to wire bytes once; each WebSocket target gets a retained duplicate of
 *       the same bytes (long-polling targets get duplicates of the frames, which their payload needs);</li>
 *   <li>targets come as {@link SessionGroup}s, one per event loop, built once by the caller and shared by every
 *       broadcast: each loop gets one small task per broadcast, holding the group, not a copy of it;</li>
 *   <li>flushes are consolidated: a session written by several broadcasts in one loop iteration (a loop working
 *       through a backlog) is flushed once, after the iteration, so many frames leave in one syscall.</li>
 * </ul>
 *
 * <p><b>Overload</b>: when the server itself falls behind (its event loops out of CPU), broadcasts wait in the
 * loops' task queues. Two bounds shed connections (closed; their clients reconnect and catch up, e.g. a page
 * reloads its state) rather than let that grow without limit or lose an event silently:
 * <ul>
 *   <li>a broadcast that reaches its loop more than {@code maxBroadcastLag} late means the loop is overloaded:
 *       half of the loop's sessions are closed, and the broadcast is still written to the others. The loop
 *       sheds again only if a broadcast queued after that shed is late too, so each halving gets the time to
 *       take effect, and a loop sheds only as much as it must to catch up;</li>
 *   <li>a broadcast that would take a loop's queued bytes past {@code maxLoopBacklogBytes} (a burst faster than
 *       any shedding) is not queued; the sessions it was for are closed, since they would miss it.</li>
 * </ul>
 * Either way each connection has received every event up to the moment it was closed, and none after. The slow
 * client, the one that does not read, is bounded per connection by {@code maxPendingBytes}, and all of them
 * together by {@code maxPendingBytesTotal} ({@link EngineIoSession#enqueue}).
 */
public final class FanOut {

    /**
     * A loop working through a backlog flushes after this many broadcasts at the latest, not only at the end of
     * its iteration: Netty runs up to a second of tasks per iteration, and holding every session's frames unflushed
     * that long would add up to that second of latency and keep the frames in memory. 32 frames per write already
     * spread the syscall's cost thin.
     */
    static final int FLUSH_AFTER_DELIVERIES = 32;

    private static final FastThreadLocal<LoopFlusher> FLUSHERS = new FastThreadLocal<>() {
        @Override
        protected LoopFlusher initialValue() { return new LoopFlusher(); }
    };

    private FanOut() {}

    /**
     * @param targets sessions to deliver to, any thread
     * @param frames  the packet's frames; ownership passes to this method (released when delivery is scheduled)
     */
    public static void deliver(Iterable<EngineIoSession> targets, List<WebSocketFrame> frames) {
        Map<EventLoop, List<EngineIoSession>> byLoop = new IdentityHashMap<>();
        for (EngineIoSession session : targets) {
            byLoop.computeIfAbsent(session.eventLoop(), l -> new ArrayList<>()).add(session);
        }
        List<SessionGroup> groups = new ArrayList<>(byLoop.size());
        for (List<EngineIoSession> sessions : byLoop.values()) {
            groups.add(new SessionGroup(sessions, Collections.nCopies(sessions.size(), null)));
        }
        deliver(groups, null, frames);
    }

    /**
     * @param groups the target sessions, grouped by event loop; any thread
     * @param except a tag (see {@link SessionGroup}) whose session is left out, or {@code null}
     * @param frames the packet's frames; ownership passes to this method (released when delivery is scheduled)
     */
    public static void deliver(List<SessionGroup> groups, String except, List<WebSocketFrame> frames) {
        if (groups.isEmpty()) {
            for (WebSocketFrame frame : frames) frame.release();
            return;
        }
        ByteBuf wire = null;
        try {
            wire = WebSocketWire.encode(ByteBufAllocator.DEFAULT, frames);
            long size = wire.readableBytes() + LoopBacklog.DELIVERY_OVERHEAD;
            for (SessionGroup group : groups) {
                EventLoop loop = group.loop();
                if (loop.inEventLoop()) {
                    new Delivery(group, except, frames, wire, null, 0, 0).run();
                    continue;
                }
                EngineIoServer server = group.server();
                LoopBacklog backlog = server.backlog(loop);
                long sequence = backlog.tryQueue(size, server.config().maxLoopBacklogBytes());
                if (sequence < 0) {
                    shed(group, "event loop backlog over " + server.config().maxLoopBacklogBytes() + " bytes");
                    continue;
                }
                Delivery delivery = new Delivery(group, except, frames, wire, backlog, size, sequence);
                try {
                    loop.execute(delivery);
                } catch (RuntimeException rejected) { // loop shutting down
                    delivery.release();
                }
            }
        } finally {
            for (WebSocketFrame frame : frames) frame.release();
            if (wire != null) wire.release();
        }
    }

    /** Closes every other open session of a loop, on that loop: an overloaded loop halves its load. */
    private static void shedHalf(EngineIoServer server, EventLoop loop, long lagNanos) {
        String why = "broadcasts reach their event loop " + lagNanos / 1_000_000 + " ms late";
        int closed = 0;
        boolean odd = false;
        for (EngineIoSession session : server.sessions()) {
            if (session.eventLoop() != loop || !session.isOpen()) continue;
            odd = !odd;
            if (!odd) continue;
            session.flushNow(); // what it was sent before this goes out before the close
            session.close("server overloaded: " + why, false);
            closed++;
        }
        server.shedForOverload(closed, why);
    }

    /** Closes a group's sessions on their loop, as the server could not deliver to them in time. */
    private static void shed(SessionGroup group, String why) {
        if (!group.markShed()) return; // already being closed; later broadcasts to it are simply not written
        Runnable close = () -> {
            int closed = 0;
            for (int i = 0; i < group.size(); i++) {
                EngineIoSession session = group.session(i);
                if (session.isOpen()) {
                    session.flushNow(); // what it was sent before this goes out before the close
                    session.close("server overloaded: " + why, false);
                    closed++;
                }
            }
            group.server().shedForOverload(closed, why);
        };
        if (group.loop().inEventLoop()) {
            close.run();
            return;
        }
        try {
            group.loop().execute(close);
        } catch (RuntimeException rejected) {
            // loop shutting down: its sessions are closing anyway
        }
    }

    /** The work of one loop: holds its own references to the shared frames and bytes until it ran. */
    private static final class Delivery implements Runnable {
        private final SessionGroup group;
        private final String except;
        private final List<WebSocketFrame> frames;
        private final ByteBuf wire;
        private final LoopBacklog backlog;
        private final long size;
        private final long queuedAt;
        private final long sequence;

        Delivery(SessionGroup group, String except, List<WebSocketFrame> frames, ByteBuf wire, LoopBacklog backlog,
                 long size, long sequence) {
            this.group = group;
            this.except = except;
            this.frames = frames;
            this.wire = wire;
            this.backlog = backlog;
            this.size = size;
            this.queuedAt = backlog == null ? 0 : System.nanoTime();
            this.sequence = sequence;
            for (WebSocketFrame frame : frames) frame.retain();
            wire.retain();
        }

        @Override
        public void run() {
            try {
                if (backlog != null) {
                    backlog.done(size);
                    long lag = System.nanoTime() - queuedAt;
                    EngineIoServer server = group.server();
                    if (lag > server.config().maxBroadcastLag().toNanos() && backlog.shouldShed(sequence)) {
                        shedHalf(server, group.loop(), lag);
                    }
                }
                write();
            } finally {
                release();
            }
        }

        private void write() {
            boolean written = false;
            for (int i = 0; i < group.size(); i++) {
                if (except != null && except.equals(group.tag(i))) continue;
                EngineIoSession session = group.session(i);
                if (session.isWebSocket()) {
                    written |= session.enqueueEncoded(wire.retainedDuplicate());
                } else if (session.isOpen()) {
                    for (WebSocketFrame frame : frames) {
                        if (!session.enqueue(frame.retainedDuplicate())) break;
                        written = true;
                    }
                }
            }
            if (written) flushLater(group);
        }

        void release() {
            for (WebSocketFrame frame : frames) frame.release();
            wire.release();
        }
    }

    /** Flushes the group's sessions once after the current loop iteration (at once where the loop cannot defer). */
    private static void flushLater(SessionGroup group) {
        if (!(group.loop() instanceof SingleThreadEventLoop singleThread)) {
            for (int i = 0; i < group.size(); i++) group.session(i).flushNow();
            return;
        }
        LoopFlusher flusher = FLUSHERS.get();
        for (int i = 0; i < group.size(); i++) {
            EngineIoSession session = group.session(i);
            if (!session.awaitingLoopFlush) {
                session.awaitingLoopFlush = true;
                flusher.dirty.add(session);
            }
        }
        if (++flusher.deliveries >= FLUSH_AFTER_DELIVERIES) {
            flusher.flushDirty();
        } else if (!flusher.scheduled) {
            flusher.scheduled = true;
            singleThread.executeAfterEventLoopIteration(flusher);
        }
    }

    /** Per event loop: the sessions written since the last flush pass. Only touched by its loop's thread. */
    private static final class LoopFlusher implements Runnable {
        final List<EngineIoSession> dirty = new ArrayList<>();
        boolean scheduled;
        int deliveries;

        @Override
        public void run() {
            scheduled = false;
            flushDirty();
        }

        void flushDirty() {
            deliveries = 0;
            for (EngineIoSession session : dirty) {
                session.awaitingLoopFlush = false;
                session.flushNow();
            }
            dirty.clear();
        }
    }
}
