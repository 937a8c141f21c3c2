package dev.herald.socketio;

import dev.herald.socketio.engineio.EngineIoSession;
import dev.herald.socketio.engineio.SessionHandler;
import dev.herald.socketio.parser.EncodedPacket;
import dev.herald.socketio.parser.InvalidPacketException;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketDecoder;
import dev.herald.socketio.parser.PacketEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Socket.IO side of one Engine.IO session: decodes its packets, multiplexes namespaces, and closes the
 * connection on invalid input or when no namespace is joined within the connect timeout. Confined to the
 * session's event loop.
 */
final class Client implements SessionHandler {

    private static final Logger log = LoggerFactory.getLogger(Client.class);

    private static final long HANDLER_DELAY_MICROS = 1000;

    private final SocketIoServer server;
    private final EngineIoSession session;
    private final PacketDecoder decoder;
    /**
     * By namespace; usually one. An immutable map replaced on each change (one entry: 24 bytes, where a HashMap
     * costs ~125), on the loop only.
     */
    private Map<String, SocketIoSocket> sockets = Map.of();
    /** Until a namespace is joined; then dropped, not kept (cancelled) for the connection's life. */
    private ScheduledFuture<?> connectTimeout;

    Client(SocketIoServer server, EngineIoSession session) {
        this.server = server;
        this.session = session;
        this.decoder = new PacketDecoder(server.mapper(), server.config().maxAttachments());
        this.connectTimeout = session.eventLoop().schedule(() -> {
            if (sockets.isEmpty()) {
                log.debug("session {}: no namespace joined in time, closing", session.id());
                session.close("connect timeout", true);
            }
        }, server.config().connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    EngineIoSession session() { return session; }

    PacketEncoder encoder() { return server.encoder(); }

    void execute(Runnable task) {
        if (session.eventLoop().inEventLoop()) task.run(); else session.eventLoop().execute(task);
    }

    /** Sends an encoded packet (text plus attachments, in order); releases it. Any thread. */
    void send(EncodedPacket packet) {
        try {
            for (WebSocketFrame frame : packet.frames()) session.send(frame);
        } finally {
            packet.release();
        }
    }

    @Override
    public void onMessage(EngineIoSession s, String data) {
        Packet packet;
        try {
            packet = decoder.decodeText(data);
        } catch (InvalidPacketException e) {
            onInvalid(e);
            return;
        }
        if (packet != null) dispatch(packet);
    }

    @Override
    public void onBinary(EngineIoSession s, byte[] data) {
        Packet packet;
        try {
            packet = decoder.decodeBinary(data);
        } catch (InvalidPacketException e) {
            onInvalid(e);
            return;
        }
        if (packet != null) dispatch(packet);
    }

    private void onInvalid(InvalidPacketException e) {
        log.debug("session {}: invalid packet ({}), closing", session.id(), e.getMessage());
        decoder.reset();
        session.close("parse error", false);
    }

    private void dispatch(Packet packet) {
        switch (packet.type()) {
            case CONNECT -> connect(packet);
            case DISCONNECT -> {
                SocketIoSocket socket = sockets.get(packet.namespace());
                if (socket != null) removeSocket(socket, "client namespace disconnect");
            }
            case CONNECT_ERROR -> {
                // Only servers send CONNECT_ERROR: a client sending one breaks the protocol.
                log.debug("session {}: CONNECT_ERROR from a client, closing", session.id());
                session.close("parse error", false);
            }
            default -> {
                SocketIoSocket socket = sockets.get(packet.namespace());
                if (socket != null) socket.onPacket(packet);
            }
        }
    }

    private void connect(Packet packet) {
        String name = packet.namespace();
        Namespace namespace = server.findNamespace(name);
        if (namespace == null) {
            send(encoder().connectError(name, "Invalid namespace", null));
            return;
        }
        if (sockets.containsKey(name)) {
            log.debug("session {}: already connected to {}", session.id(), name);
            return;
        }
        Handshake handshake = new Handshake(packet.data(), session.query(), session.headers(), session.remoteAddress(), Instant.now());
        try {
            namespace.checkGuards(handshake);
        } catch (ConnectionRefusedException refused) {
            send(encoder().connectError(name, refused.getMessage(), refused.data()));
            return;
        } catch (RuntimeException e) {
            log.warn("guard of namespace {} failed", name, e);
            send(encoder().connectError(name, "Internal error", null));
            return;
        }
        cancelConnectTimeout();
        SocketIoSocket socket = new SocketIoSocket(server.newSocketId(), namespace, this, handshake);
        Map<String, SocketIoSocket> joined = new HashMap<>(sockets);
        joined.put(name, socket);
        sockets = Map.copyOf(joined);
        send(encoder().connect(name, socket.id()));
        // The CONNECT answer leaves in a write of its own, and the connection handlers (which usually emit at
        // once) run a moment later, as in Node, where the next packet waits for the previous write's callback.
        // Clients that take one packet per network read (the official test suite does) would otherwise miss the
        // second packet of a coalesced read. Packets for the socket arriving meanwhile wait in the socket.
        session.flushNow();
        session.eventLoop().schedule(() -> {
            if (sockets.get(name) == socket) {
                namespace.add(socket);
                socket.handlersReady();
            }
        }, HANDLER_DELAY_MICROS, TimeUnit.MICROSECONDS);
    }

    private void cancelConnectTimeout() {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null;
        }
    }

    /** On the loop. */
    void removeSocket(SocketIoSocket socket, String reason) {
        String name = socket.namespace().name();
        if (sockets.get(name) != socket) return;
        Map<String, SocketIoSocket> left = new HashMap<>(sockets);
        left.remove(name);
        sockets = Map.copyOf(left);
        socket.onClose(reason);
    }

    @Override
    public void onClose(EngineIoSession s, String reason) {
        cancelConnectTimeout();
        decoder.reset();
        List<SocketIoSocket> all = new ArrayList<>(sockets.values());
        sockets = Map.of();
        for (SocketIoSocket socket : all) socket.onClose(reason);
    }
}
