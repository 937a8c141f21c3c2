package dev.herald.socketio;

import dev.herald.socketio.engineio.FanOut;
import dev.herald.socketio.engineio.SessionGroup;
import dev.herald.socketio.parser.EncodedPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A Socket.IO namespace: its connected sockets, its rooms, the guards that admit clients and the handlers
 * told of each connection. Thread-safe.
 */
public final class Namespace {

    private static final Logger log = LoggerFactory.getLogger(Namespace.class);

    private final String name;
    private final SocketIoServer server;
    private final Map<String, SocketIoSocket> sockets = new ConcurrentHashMap<>();
    private final Map<String, Set<SocketIoSocket>> rooms = new ConcurrentHashMap<>();
    private final List<ConnectGuard> guards = new CopyOnWriteArrayList<>();
    private final List<Consumer<SocketIoSocket>> connectionHandlers = new CopyOnWriteArrayList<>();

    Namespace(String name, SocketIoServer server) {
        this.name = name;
        this.server = server;
    }

    public String name() { return name; }

    SocketIoServer server() { return server; }

    /** Adds a guard; guards run in order and the first refusal wins. */
    public Namespace use(ConnectGuard guard) {
        guards.add(guard);
        return this;
    }

    /** Adds a handler called on the connection's loop for every socket that joins this namespace. */
    public Namespace onConnection(Consumer<SocketIoSocket> handler) {
        connectionHandlers.add(handler);
        return this;
    }

    /** Selects the sockets of a room (more rooms: union). */
    public BroadcastOperator to(String... room) {
        return new BroadcastOperator(this, Set.of(room), Set.of());
    }

    /** Selects every socket except those of these rooms. */
    public BroadcastOperator except(String... room) {
        return new BroadcastOperator(this, Set.of(), Set.of(room));
    }

    /** Emits to every socket of the namespace; returns how many. */
    public int emit(String event, Object... args) {
        return new BroadcastOperator(this, Set.of(), Set.of()).emit(event, args);
    }

    /**
     * Emits one event to an explicit set of this namespace's sockets, encoded once for all of them; for
     * routers that keep their own membership (such as a channel hub). Any thread.
     *
     * @return how many sockets it was sent to
     */
    public int emitTo(Collection<SocketIoSocket> targets, String event, Object... args) {
        for (SocketIoSocket socket : targets) {
            if (socket.namespace() != this) throw new IllegalArgumentException("socket " + socket.id() + " is not in " + name);
        }
        return BroadcastOperator.emitTo(this, targets, event, args);
    }

    /** Groups sockets of this namespace for repeated {@link #emitTo(List, String, String, Object...)} calls. */
    public SocketTargets targets(Collection<SocketIoSocket> sockets) {
        return SocketTargets.of(this, sockets);
    }

    /**
     * Emits an event to pre-grouped sockets of this namespace, leaving out the socket whose id is {@code except}
     * ({@code null}: none); any thread. The packet is encoded once.
     *
     * @return the number of sockets it was sent to
     */
    public int emitTo(List<SocketTargets> targets, String except, String event, Object... args) {
        List<SessionGroup> groups = new ArrayList<>(targets.size() * 2);
        int count = 0;
        for (SocketTargets t : targets) {
            if (t.namespace() != this) throw new IllegalArgumentException("targets of " + t.namespace().name() + " emitted in " + name);
            groups.addAll(t.groups());
            count += t.size();
        }
        if (count == 0) return 0;
        if (except != null) {
            for (SocketTargets t : targets) {
                if (t.contains(except)) count--;
            }
            if (count == 0) return 0;
        }
        EncodedPacket packet = server.encoder().event(name, event, -1, args);
        try {
            FanOut.deliver(groups, except, packet.frames());
        } finally {
            packet.release();
        }
        return count;
    }

    /** Connected sockets, unmodifiable live view. */
    public Collection<SocketIoSocket> sockets() { return Collections.unmodifiableCollection(sockets.values()); }

    public SocketIoSocket socket(String id) { return sockets.get(id); }

    /** Rooms with at least one socket (each socket's own id room included), a snapshot. */
    public Set<String> rooms() {
        Set<String> all = new HashSet<>(rooms.keySet());
        all.addAll(sockets.keySet());
        return Collections.unmodifiableSet(all);
    }

    /** Sockets of a room, a snapshot. */
    public Set<SocketIoSocket> socketsIn(String room) {
        Set<SocketIoSocket> members = rooms.get(room);
        SocketIoSocket own = sockets.get(room); // every socket is in the room named by its id, implicitly
        if (own == null) return members == null ? Set.of() : Set.copyOf(members);
        if (members == null || members.isEmpty()) return Set.of(own);
        Set<SocketIoSocket> all = new HashSet<>(members);
        all.add(own);
        return Set.copyOf(all);
    }

    // ------------------------------------------------------------------ internal

    void checkGuards(Handshake handshake) throws ConnectionRefusedException {
        for (ConnectGuard guard : guards) guard.check(handshake);
    }

    void add(SocketIoSocket socket) {
        sockets.put(socket.id(), socket);
        for (Consumer<SocketIoSocket> handler : connectionHandlers) {
            try {
                handler.accept(socket);
            } catch (RuntimeException e) {
                log.warn("connection handler of namespace {} failed for socket {}", name, socket.id(), e);
            }
        }
    }

    void remove(SocketIoSocket socket) {
        sockets.remove(socket.id(), socket);
        for (String room : socket.joinedRooms()) leave(socket, room);
    }

    void join(SocketIoSocket socket, String room) {
        // compute/computeIfPresent run under the map's bin lock, so a join never adds to a set a leave drops.
        rooms.compute(room, (r, members) -> {
            if (members == null) members = ConcurrentHashMap.newKeySet(4);
            members.add(socket);
            return members;
        });
    }

    void leave(SocketIoSocket socket, String room) {
        rooms.computeIfPresent(room, (r, members) -> {
            members.remove(socket);
            return members.isEmpty() ? null : members;
        });
    }
}
