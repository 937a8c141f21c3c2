package dev.herald.socketio.engineio;

import io.netty.channel.EventLoop;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sessions that share an event loop, each with a tag (the Socket.IO socket id a broadcast may leave out), built
 * once and delivered to many times: {@link FanOut} hands the whole group to its loop as one task per broadcast,
 * holding a reference to this group instead of a per-broadcast list, so a backlog of queued broadcasts costs a
 * few dozen bytes each whatever the group's size. Immutable.
 */
public final class SessionGroup {

    private final EventLoop loop;
    private final EngineIoSession[] sessions;
    private final String[] tags;
    private final AtomicBoolean shed = new AtomicBoolean();

    /**
     * @param sessions sessions, all on one event loop, at least one
     * @param tags     one per session: what {@code except} is compared with ({@code null}: never left out)
     */
    public SessionGroup(List<EngineIoSession> sessions, List<String> tags) {
        if (sessions.isEmpty()) throw new IllegalArgumentException("a session group needs a session");
        if (tags.size() != sessions.size()) throw new IllegalArgumentException("one tag per session");
        this.loop = sessions.get(0).eventLoop();
        this.sessions = sessions.toArray(new EngineIoSession[0]);
        this.tags = tags.toArray(new String[0]);
        for (EngineIoSession session : this.sessions) {
            if (session.eventLoop() != loop) throw new IllegalArgumentException("sessions of one group share a loop");
        }
    }

    public EventLoop loop() { return loop; }

    public int size() { return sessions.length; }

    EngineIoSession session(int i) { return sessions[i]; }

    String tag(int i) { return tags[i]; }

    /** Whether a session of the group has this tag. */
    public boolean hasTag(String tag) {
        for (String t : tags) {
            if (tag.equals(t)) return true;
        }
        return false;
    }

    EngineIoServer server() { return sessions[0].server(); }

    /** True the first time only: the group's sessions are to be closed for overload once. */
    boolean markShed() { return shed.compareAndSet(false, true); }
}
