package dev.herald.socketio;

import dev.herald.socketio.engineio.EngineIoSession;
import dev.herald.socketio.engineio.FanOut;
import dev.herald.socketio.parser.EncodedPacket;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Selects sockets of a namespace by room (none: all of them), minus the sockets of excluded rooms, and
 * emits to them. Immutable; usable from any thread. The packet is encoded once for all targets.
 */
public final class BroadcastOperator {

    private final Namespace namespace;
    private final Set<String> rooms;
    private final Set<String> except;

    BroadcastOperator(Namespace namespace, Set<String> rooms, Set<String> except) {
        this.namespace = namespace;
        this.rooms = Set.copyOf(rooms);
        this.except = Set.copyOf(except);
    }

    /** Also targets the sockets of these rooms. */
    public BroadcastOperator to(String... more) {
        Set<String> union = new HashSet<>(rooms);
        union.addAll(List.of(more));
        return new BroadcastOperator(namespace, union, except);
    }

    /** Leaves out the sockets of these rooms; every socket is in the room named by its id. */
    public BroadcastOperator except(String... more) {
        Set<String> union = new HashSet<>(except);
        union.addAll(List.of(more));
        return new BroadcastOperator(namespace, rooms, union);
    }

    /** The sockets this operator selects now. */
    public Set<SocketIoSocket> sockets() {
        Set<SocketIoSocket> targets = new LinkedHashSet<>();
        if (rooms.isEmpty()) {
            targets.addAll(namespace.sockets());
        } else {
            for (String room : rooms) targets.addAll(namespace.socketsIn(room));
        }
        for (String room : except) targets.removeAll(namespace.socketsIn(room));
        return targets;
    }

    /**
     * Emits an event to the selected sockets.
     *
     * @return the number of sockets it was sent to
     */
    public int emit(String event, Object... args) {
        return emitTo(namespace, sockets(), event, args);
    }

    /** Encodes once and writes the same frames to each target (all of {@code namespace}); any thread. */
    static int emitTo(Namespace namespace, Collection<SocketIoSocket> targets, String event, Object[] args) {
        if (targets.isEmpty()) return 0;
        EncodedPacket packet = namespace.server().encoder().event(namespace.name(), event, -1, args);
        // A view, not a copy: FanOut walks the targets once, grouping their sessions by event loop.
        Iterable<EngineIoSession> sessions = () -> targets.stream().map(socket -> socket.client().session()).iterator();
        try {
            FanOut.deliver(sessions, packet.frames());
        } finally {
            packet.release();
        }
        return targets.size();
    }
}
