package dev.herald.socketio;

import dev.herald.socketio.engineio.EngineIoSession;
import dev.herald.socketio.engineio.SessionGroup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sockets of one namespace, grouped by event loop once, for many broadcasts: a relay that keeps a channel's
 * subscribers as {@code SocketTargets} emits each event with work proportional to the number of event loops on
 * the calling thread, not to the number of sockets. Built by {@link Namespace#targets}; immutable. A socket that
 * disconnects meanwhile is skipped when the broadcast reaches it.
 */
public final class SocketTargets {

    private final Namespace namespace;
    private final List<SessionGroup> groups;
    private final int size;

    private SocketTargets(Namespace namespace, List<SessionGroup> groups, int size) {
        this.namespace = namespace;
        this.groups = groups;
        this.size = size;
    }

    static SocketTargets of(Namespace namespace, Collection<SocketIoSocket> sockets) {
        Map<Object, List<SocketIoSocket>> byLoop = new IdentityHashMap<>();
        for (SocketIoSocket socket : sockets) {
            if (socket.namespace() != namespace) {
                throw new IllegalArgumentException("socket " + socket.id() + " is not in " + namespace.name());
            }
            byLoop.computeIfAbsent(socket.eventLoop(), l -> new ArrayList<>()).add(socket);
        }
        List<SessionGroup> groups = new ArrayList<>(byLoop.size());
        for (List<SocketIoSocket> members : byLoop.values()) {
            List<EngineIoSession> sessions = new ArrayList<>(members.size());
            List<String> ids = new ArrayList<>(members.size());
            for (SocketIoSocket socket : members) {
                sessions.add(socket.client().session());
                ids.add(socket.id());
            }
            groups.add(new SessionGroup(sessions, ids));
        }
        return new SocketTargets(namespace, List.copyOf(groups), sockets.size());
    }

    public Namespace namespace() { return namespace; }

    /** Number of sockets. */
    public int size() { return size; }

    List<SessionGroup> groups() { return groups; }

    /** Whether the socket with this id is one of them; a scan, for the rare broadcast that leaves one out. */
    boolean contains(String socketId) {
        for (SessionGroup group : groups) {
            if (group.hasTag(socketId)) return true;
        }
        return false;
    }
}
