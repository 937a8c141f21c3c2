package dev.herald.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.socketio.parser.EncodedPacket;
import dev.herald.socketio.parser.Packet;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One client's connection to one namespace. Event handlers run on the connection's event loop; every other
 * method may be called from any thread.
 */
public final class SocketIoSocket {

    private static final Logger log = LoggerFactory.getLogger(SocketIoSocket.class);

    private final String id;
    private final Namespace namespace;
    private final Client client;
    private final Handshake handshake;
    // Tens of thousands of sockets sit idle on a node, so a socket holds only what it uses: handlers in small
    // immutable collections replaced on change (they are set up once, read on every event), and the maps that
    // most sockets never need (explicit rooms, acks awaited, attributes) created on first use.
    private volatile Map<String, List<EventHandler>> handlers = Map.of();
    private volatile List<Consumer<String>> disconnectHandlers = List.of();
    /** Rooms joined explicitly; the socket's own room (its id) is implicit. Changed on the loop only. */
    private volatile Set<String> rooms;
    private volatile Map<Long, Consumer<List<JsonNode>>> pendingAcks;
    private volatile Map<String, Object> attributes;
    private final AtomicLong nextAckId = new AtomicLong();
    private volatile boolean connected = true;
    private List<Packet> early = new ArrayList<>();

    SocketIoSocket(String id, Namespace namespace, Client client, Handshake handshake) {
        this.id = id;
        this.namespace = namespace;
        this.client = client;
        this.handshake = handshake;
    }

    /** The socket id: random, distinct from the Engine.IO session id; also the name of the socket's own room. */
    public String id() { return id; }

    public Namespace namespace() { return namespace; }

    public Handshake handshake() { return handshake; }

    public boolean connected() { return connected; }

    /** {@code polling} or {@code websocket}. */
    public String transport() { return client.session().transportName(); }

    /** Free-form per-socket state for the application. */
    public Map<String, Object> attributes() {
        Map<String, Object> map = attributes;
        if (map == null) {
            synchronized (this) {
                map = attributes;
                if (map == null) attributes = map = new ConcurrentHashMap<>(2);
            }
        }
        return map;
    }

    Client client() { return client; }

    /** The I/O thread that owns this socket's connection, for the whole of its life. */
    public EventLoop eventLoop() { return client.session().eventLoop(); }

    /** Adds a handler for an event; several handlers of one event run in order. */
    public synchronized SocketIoSocket on(String event, EventHandler handler) {
        Map<String, List<EventHandler>> copy = new HashMap<>(handlers);
        copy.merge(event, List.of(handler), (old, added) -> append(old, handler));
        handlers = Map.copyOf(copy);
        return this;
    }

    /** Adds a handler told once, with the reason, when this socket leaves the namespace. */
    public synchronized SocketIoSocket onDisconnect(Consumer<String> handler) {
        disconnectHandlers = append(disconnectHandlers, handler);
        return this;
    }

    private static <T> List<T> append(List<T> list, T element) {
        List<T> copy = new ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(element);
        return List.copyOf(copy);
    }

    /** Sends an event to this client. */
    public void emit(String event, Object... args) {
        if (!connected) return;
        client.send(client.encoder().event(namespace.name(), event, -1, args));
    }

    /** Sends an event and asks the client to acknowledge it; {@code onAck} runs on the connection's loop. */
    public void emitWithAck(String event, Consumer<List<JsonNode>> onAck, Object... args) {
        if (!connected) return;
        long ackId = nextAckId.getAndIncrement();
        awaitedAcks().put(ackId, onAck);
        client.send(client.encoder().event(namespace.name(), event, ackId, args));
    }

    /**
     * Joins a room. Runs on the connection's loop (at once when called there, as from an event handler), so a
     * join can never race the socket's disconnect and leave a stale room entry behind.
     */
    public void join(String room) {
        if (room.equals(id)) return; // always in its own room
        client.execute(() -> {
            if (!connected) return;
            Set<String> joined = rooms;
            if (joined == null) rooms = joined = ConcurrentHashMap.newKeySet(2);
            if (joined.add(room)) namespace.join(this, room);
        });
    }

    public void leave(String room) {
        client.execute(() -> {
            Set<String> joined = rooms;
            if (joined != null && joined.remove(room)) namespace.leave(this, room);
        });
    }

    /** The rooms of this socket, its own room (its id) included; a snapshot. */
    public Set<String> rooms() {
        Set<String> joined = rooms;
        if (joined == null || joined.isEmpty()) return Set.of(id);
        Set<String> all = new HashSet<>(joined);
        all.add(id);
        return Set.copyOf(all);
    }

    /** Rooms joined explicitly, a snapshot. */
    Set<String> joinedRooms() {
        Set<String> joined = rooms;
        return joined == null ? Set.of() : Set.copyOf(joined);
    }

    private Map<Long, Consumer<List<JsonNode>>> awaitedAcks() {
        Map<Long, Consumer<List<JsonNode>>> map = pendingAcks;
        if (map == null) {
            synchronized (this) {
                map = pendingAcks;
                if (map == null) pendingAcks = map = new ConcurrentHashMap<>(4);
            }
        }
        return map;
    }

    /** Emits to the sockets of a room except this one (socket.io's {@code socket.to(room)}). */
    public BroadcastOperator to(String... room) {
        return namespace.to(room).except(id);
    }

    /** Removes this socket from the namespace and tells the client ({@code io server disconnect}: no auto-reconnect). */
    public void disconnect() {
        if (!connected) return;
        client.send(client.encoder().disconnect(namespace.name()));
        client.execute(() -> client.removeSocket(this, "server namespace disconnect"));
    }

    /** Closes the client's whole connection (every namespace). */
    public void disconnectConnection() {
        client.session().close();
    }

    // ------------------------------------------------------------------ from the client, on its loop

    void onPacket(Packet packet) {
        if (early != null) {
            early.add(packet);
            return;
        }
        switch (packet.type()) {
            case EVENT, BINARY_EVENT -> onEvent(packet);
            case ACK, BINARY_ACK -> onAck(packet);
            default -> { }
        }
    }

    private void onEvent(Packet packet) {
        List<JsonNode> all = new ArrayList<>(packet.data().size());
        packet.data().forEach(all::add);
        String event = all.get(0).asText();
        List<JsonNode> args = Collections.unmodifiableList(all.subList(1, all.size()));
        Ack ack = packet.hasAck() ? ackFor(packet.id()) : null;
        List<EventHandler> list = handlers.get(event);
        if (list == null) {
            log.trace("socket {}: no handler for event {}", id, event);
            return;
        }
        for (EventHandler handler : list) {
            try {
                handler.onEvent(args, ack);
            } catch (RuntimeException e) {
                log.warn("handler of event '{}' failed on socket {}", event, id, e);
            }
        }
    }

    private Ack ackFor(long ackId) {
        AtomicBoolean sent = new AtomicBoolean();
        return args -> {
            if (connected && sent.compareAndSet(false, true)) {
                EncodedPacket packet = client.encoder().ack(namespace.name(), ackId, args);
                client.send(packet);
            }
        };
    }

    private void onAck(Packet packet) {
        Map<Long, Consumer<List<JsonNode>>> awaited = pendingAcks;
        Consumer<List<JsonNode>> callback = awaited == null ? null : awaited.remove(packet.id());
        if (callback == null) return;
        List<JsonNode> args = new ArrayList<>(packet.data().size());
        packet.data().forEach(args::add);
        try {
            callback.accept(Collections.unmodifiableList(args));
        } catch (RuntimeException e) {
            log.warn("ack callback failed on socket {}", id, e);
        }
    }

    /** The connection handlers have run: handle the packets that arrived before. On the client's loop. */
    void handlersReady() {
        List<Packet> held = early;
        early = null;
        for (Packet packet : held) {
            if (connected) onPacket(packet);
        }
    }

    /** Leaves the namespace; on the client's loop. */
    void onClose(String reason) {
        if (!connected) return;
        connected = false;
        namespace.remove(this);
        rooms = null;
        pendingAcks = null;
        for (Consumer<String> handler : disconnectHandlers) {
            try {
                handler.accept(reason);
            } catch (RuntimeException e) {
                log.warn("disconnect handler failed on socket {}", id, e);
            }
        }
    }
}
