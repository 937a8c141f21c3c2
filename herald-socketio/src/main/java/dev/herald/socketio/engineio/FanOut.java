package dev.herald.socketio.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers one already-encoded packet to many sessions:
 * <ul>
 *   <li>the WebSocket frames are encoded to wire bytes once; each WebSocket target gets a retained duplicate of
 *       the same bytes (long-polling targets get duplicates of the frames, which their payload needs);</li>
 *   <li>the sessions are grouped by event loop, and each loop gets a single task for all of its sessions;</li>
 *   <li>flushes are consolidated: a session written by several broadcasts in one loop iteration (a loop working
 *       through a backlog) is flushed once, after the iteration, so many frames leave in one syscall.</li>
 * </ul>
 */
public final class FanOut {

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
        Map<EventLoop, List<EngineIoSession>> byLoop = new HashMap<>();
        for (EngineIoSession session : targets) {
            byLoop.computeIfAbsent(session.eventLoop(), l -> new ArrayList<>()).add(session);
        }
        if (byLoop.isEmpty()) {
            for (WebSocketFrame frame : frames) frame.release();
            return;
        }
        ByteBuf wire = null;
        try {
            wire = WebSocketWire.encode(ByteBufAllocator.DEFAULT, frames);
            for (Map.Entry<EventLoop, List<EngineIoSession>> group : byLoop.entrySet()) {
                Delivery delivery = new Delivery(group.getValue(), frames, wire);
                if (group.getKey().inEventLoop()) {
                    delivery.run();
                } else {
                    try {
                        group.getKey().execute(delivery);
                    } catch (RuntimeException rejected) { // loop shutting down
                        delivery.release();
                    }
                }
            }
        } finally {
            for (WebSocketFrame frame : frames) frame.release();
            if (wire != null) wire.release();
        }
    }

    /** The work of one loop: holds its own references to the shared frames and bytes until it ran. */
    private static final class Delivery implements Runnable {
        private final List<EngineIoSession> sessions;
        private final List<WebSocketFrame> frames;
        private final ByteBuf wire;

        Delivery(List<EngineIoSession> sessions, List<WebSocketFrame> frames, ByteBuf wire) {
            this.sessions = sessions;
            this.frames = frames;
            this.wire = wire;
            for (WebSocketFrame frame : frames) frame.retain();
            wire.retain();
        }

        @Override
        public void run() {
            try {
                for (EngineIoSession session : sessions) {
                    if (session.isWebSocket()) {
                        session.enqueueEncoded(wire.retainedDuplicate());
                    } else {
                        for (WebSocketFrame frame : frames) {
                            if (!session.enqueue(frame.retainedDuplicate())) break;
                        }
                    }
                }
                flushLater(sessions);
            } finally {
                release();
            }
        }

        void release() {
            for (WebSocketFrame frame : frames) frame.release();
            wire.release();
        }
    }

    /** Flushes the sessions once after the current loop iteration (at once where the loop cannot defer). */
    private static void flushLater(List<EngineIoSession> sessions) {
        EventLoop loop = sessions.get(0).eventLoop();
        if (!(loop instanceof SingleThreadEventLoop singleThread)) {
            for (EngineIoSession session : sessions) session.flushNow();
            return;
        }
        LoopFlusher flusher = FLUSHERS.get();
        for (EngineIoSession session : sessions) {
            if (!session.awaitingLoopFlush) {
                session.awaitingLoopFlush = true;
                flusher.dirty.add(session);
            }
        }
        if (!flusher.scheduled) {
            flusher.scheduled = true;
            singleThread.executeAfterEventLoopIteration(flusher);
        }
    }

    /** Per event loop: the sessions written since the last flush pass. Only touched by its loop's thread. */
    private static final class LoopFlusher implements Runnable {
        final List<EngineIoSession> dirty = new ArrayList<>();
        boolean scheduled;

        @Override
        public void run() {
            scheduled = false;
            for (EngineIoSession session : dirty) {
                session.awaitingLoopFlush = false;
                session.flushNow();
            }
            dirty.clear();
        }
    }
}
