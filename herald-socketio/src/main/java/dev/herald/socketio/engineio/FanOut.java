package dev.herald.socketio.engineio;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers one already-encoded packet to many sessions: the sessions are grouped by event loop, each loop
 * gets a single task that queues a retained duplicate of the same frames on each of its sessions and then
 * flushes each session once. No per-target encoding, no per-target task, one syscall per connection.
 */
public final class FanOut {

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
        try {
            for (Map.Entry<EventLoop, List<EngineIoSession>> group : byLoop.entrySet()) {
                for (WebSocketFrame frame : frames) frame.retain();
                List<EngineIoSession> sessions = group.getValue();
                Runnable task = () -> writeAll(sessions, frames);
                if (group.getKey().inEventLoop()) {
                    task.run();
                } else {
                    try {
                        group.getKey().execute(task);
                    } catch (RuntimeException rejected) { // loop shutting down
                        for (WebSocketFrame frame : frames) frame.release();
                    }
                }
            }
        } finally {
            for (WebSocketFrame frame : frames) frame.release();
        }
    }

    private static void writeAll(List<EngineIoSession> sessions, List<WebSocketFrame> frames) {
        try {
            for (EngineIoSession session : sessions) {
                for (WebSocketFrame frame : frames) {
                    if (!session.enqueue(frame.retainedDuplicate())) break;
                }
            }
            for (EngineIoSession session : sessions) session.flushNow();
        } finally {
            for (WebSocketFrame frame : frames) frame.release();
        }
    }
}
