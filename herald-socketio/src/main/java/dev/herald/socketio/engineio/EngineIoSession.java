package dev.herald.socketio.engineio;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Engine.IO session: heartbeat, transport (long-polling or WebSocket), upgrade from polling to
 * WebSocket, and close.
 *
 * <p>Confinement: every state change happens on {@link #eventLoop()}, the loop of the connection that
 * opened the session. {@link #send} and {@link #close} may be called from any thread; they hop to the
 * loop when needed.
 */
public final class EngineIoSession {

    private static final Logger log = LoggerFactory.getLogger(EngineIoSession.class);
    private static final long CLOSE_GRACE_MILLIS = 50;

    enum State { OPEN, CLOSED }

    private final String id;
    private final EngineIoServer server;
    private final EventLoop loop;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final SocketAddress remoteAddress;
    private final Runnable flushTask = this::flushNow;

    private SessionHandler handler;
    private Transport transport;
    private WebSocketTransport probing;
    private boolean upgraded;
    private State state = State.OPEN;
    private boolean flushScheduled;
    private boolean closingByClient;
    /** Set while FanOut's per-loop flusher holds this session for its after-iteration flush; loop only. */
    boolean awaitingLoopFlush;
    private ScheduledFuture<?> pingTask;
    private ScheduledFuture<?> pingTimeoutTask;
    private ScheduledFuture<?> upgradeTimeoutTask;

    EngineIoSession(String id, EngineIoServer server, EventLoop loop, Map<String, List<String>> query,
                    HttpHeaders headers, SocketAddress remoteAddress) {
        this.id = id;
        this.server = server;
        this.loop = loop;
        this.query = query;
        this.headers = headers;
        this.remoteAddress = remoteAddress;
    }

    public String id() { return id; }

    public EventLoop eventLoop() { return loop; }

    EngineIoServer server() { return server; }

    /** Query parameters of the handshake request. */
    public Map<String, List<String>> query() { return query; }

    /** Headers of the handshake request. */
    public HttpHeaders headers() { return headers; }

    public SocketAddress remoteAddress() { return remoteAddress; }

    /** Name of the current transport: {@code polling} or {@code websocket}. */
    public String transportName() { return transport.name(); }

    public boolean isOpen() { return state == State.OPEN; }

    boolean isUpgraded() { return upgraded; }

    boolean isUpgrading() { return probing != null; }

    Transport transport() { return transport; }

    void execute(Runnable task) {
        if (loop.inEventLoop()) task.run(); else loop.execute(task);
    }

    /** Starts the session on its first transport; runs on the loop. */
    void open(Transport first, SessionHandler sessionHandler) {
        this.transport = first;
        this.handler = sessionHandler;
        schedulePing();
    }

    // ------------------------------------------------------------------ sending

    /** Sends a text message packet; {@code data} excludes the {@code 4} type digit. */
    public void sendMessage(String data) {
        send(new TextWebSocketFrame(Unpooled.copiedBuffer("4" + data, StandardCharsets.UTF_8)));
    }

    /** Sends a binary message packet. */
    public void sendBinary(byte[] data) {
        send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)));
    }

    /**
     * Sends a frame holding a complete Engine.IO packet (text: type digit first; binary: raw message) and
     * flushes soon after. Takes ownership of the frame. Any thread.
     */
    public void send(WebSocketFrame frame) {
        if (loop.inEventLoop()) {
            if (enqueue(frame)) scheduleFlush();
        } else {
            loop.execute(() -> {
                if (enqueue(frame)) scheduleFlush();
            });
        }
    }

    /**
     * Queues a frame without flushing; the caller flushes with {@link #flushNow()} after a batch. On the loop
     * only. A session whose transport holds more than its share of the outbound budget
     * ({@link EngineIoServer#pendingLimit()}: {@code maxPendingBytes}, less when many connections share
     * {@code maxPendingBytesTotal}) is closed as a slow consumer instead of being fed without bound.
     *
     * @return whether the frame was queued
     */
    boolean enqueue(WebSocketFrame frame) {
        if (state != State.OPEN) {
            frame.release();
            return false;
        }
        if (isSlowConsumer()) {
            frame.release();
            return false;
        }
        return transport.write(frame);
    }

    /** Past its outbound limit, the session is closed as a slow consumer (and says so); on the loop. */
    private boolean isSlowConsumer() {
        long pending = transport.pendingBytes();
        if (pending <= server.pendingLimit()) return false;
        log.debug("session {} closed: slow consumer ({} bytes pending)", id, pending);
        server.slowConsumerClosed();
        close("slow consumer", false);
        return true;
    }

    /** Whether the session currently sends over WebSocket (so pre-encoded frame bytes fit it); on the loop. */
    boolean isWebSocket() {
        return state == State.OPEN && transport instanceof WebSocketTransport;
    }

    /**
     * Queues pre-encoded WebSocket frame bytes (see WebSocketWire) without flushing, under the same
     * slow-consumer rule as {@link #enqueue}; on the loop, for a WebSocket session only. Takes ownership.
     */
    boolean enqueueEncoded(io.netty.buffer.ByteBuf wire) {
        if (state != State.OPEN || !(transport instanceof WebSocketTransport ws)) {
            wire.release();
            return false;
        }
        if (isSlowConsumer()) {
            wire.release();
            return false;
        }
        return ws.writeEncoded(wire);
    }

    /** Flushes what was sent so far in a write of its own; on the loop. */
    public void flushNow() {
        flushScheduled = false;
        if (state == State.OPEN) transport.flush();
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    // ------------------------------------------------------------------ receiving

    /** A text packet from the client (type digit first). */
    void onTextPacket(String packet) {
        if (state != State.OPEN || closingByClient) return;
        PacketType type = packet.isEmpty() ? null : PacketType.of(packet.charAt(0));
        if (type == null) {
            onError("parse error");
            return;
        }
        switch (type) {
            case PONG -> onPong();
            // In v4 only the server pings (probes aside, handled before the upgrade): like Node, a client ping
            // is a protocol error.
            case PING -> onError("invalid heartbeat direction");
            case MESSAGE -> handler.onMessage(this, packet.substring(1));
            case CLOSE -> onClientClose();
            case NOOP, UPGRADE -> { }
            case OPEN -> onError("unexpected open packet");
        }
    }

    /** A text frame on one of this session's WebSocket connections (transport or probe). */
    void onWebSocketText(WebSocketTransport ws, String packet) {
        if (transport == ws) onTextPacket(packet);
        else onProbePacket(ws, packet);
    }

    /** A binary frame on one of this session's WebSocket connections; ignored unless it is the transport. */
    void onWebSocketBinary(WebSocketTransport ws, byte[] data) {
        if (transport == ws) onBinaryPacket(data);
    }

    /** One of this session's WebSocket connections closed. */
    void onWebSocketClosed(WebSocketTransport ws) {
        if (transport == ws) close("transport close", false);
        else onProbeClosed(ws);
    }

    /** A binary message from the client. */
    void onBinaryPacket(byte[] data) {
        if (state == State.OPEN) handler.onBinary(this, data);
    }

    private void onPong() {
        if (pingTimeoutTask != null) pingTimeoutTask.cancel(false);
        pingTimeoutTask = null;
        schedulePing();
    }

    private void onClientClose() {
        // Node answers a pending long-polling GET with a noop when the client closes the session. A GET sent
        // together with the closing POST may still be on its way: give it a moment to be answered the same way.
        if (transport instanceof PollingTransport polling && !polling.hasPendingGet()) {
            closingByClient = true;
            loop.schedule(() -> close("transport close", false), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            close("transport close", false);
        }
    }

    /** A GET arrived while a client-requested close waits for it: it gets its noop and the session ends. */
    boolean isClosingByClient() { return closingByClient; }

    /** A protocol error: the session closes without a close packet (the peer broke the protocol). */
    void onError(String reason) {
        log.debug("session {} error: {}", id, reason);
        close(reason, false);
    }

    private void sendControl(String packet) {
        send(PollingTransport.textFrame(packet));
    }

    /**
     * Over WebSocket the ping is the same three bytes for every session and every interval, so they are written
     * from one shared buffer: a heartbeat allocates no payload, frame or encoder output (10,000 connections ping
     * 400 times a second at the default interval).
     */
    private void sendPing() {
        if (transport instanceof WebSocketTransport) {
            if (enqueueEncoded(WebSocketWire.PING.duplicate())) scheduleFlush();
        } else {
            sendControl("2");
        }
    }

    // ------------------------------------------------------------------ heartbeat

    private void schedulePing() {
        if (state != State.OPEN) return;
        long interval = server.config().pingInterval().toMillis();
        pingTask = loop.schedule(() -> {
            sendPing();
            long timeout = server.config().pingTimeout().toMillis();
            pingTimeoutTask = loop.schedule(() -> close("ping timeout", false), timeout, TimeUnit.MILLISECONDS);
        }, interval, TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ upgrade

    /** A WebSocket with this session's id connected and wants to probe; on the loop. */
    void beginUpgrade(WebSocketTransport candidate) {
        if (state != State.OPEN || upgraded || probing != null || !(transport instanceof PollingTransport)) {
            candidate.close(false);
            return;
        }
        probing = candidate;
        long timeout = server.config().upgradeTimeout().toMillis();
        upgradeTimeoutTask = loop.schedule(() -> {
            if (probing == candidate) {
                probing = null;
                candidate.close(false);
            }
        }, timeout, TimeUnit.MILLISECONDS);
    }

    /** A text packet on the probing WebSocket. */
    void onProbePacket(WebSocketTransport candidate, String packet) {
        if (probing != candidate || state != State.OPEN) return;
        if (packet.equals("2probe")) {
            candidate.write(PollingTransport.textFrame("3probe"));
            candidate.flush();
            // Release the pending GET so the client can pause polling and send the upgrade packet.
            ((PollingTransport) transport).answerPendingWith(PacketType.NOOP.code());
        } else if (packet.equals("5")) {
            completeUpgrade(candidate);
        } else {
            probing = null;
            if (upgradeTimeoutTask != null) upgradeTimeoutTask.cancel(false);
            candidate.close(false);
        }
    }

    private void completeUpgrade(WebSocketTransport ws) {
        if (upgradeTimeoutTask != null) upgradeTimeoutTask.cancel(false);
        PollingTransport polling = (PollingTransport) transport;
        List<WebSocketFrame> queued = polling.drain();
        polling.close(false);
        probing = null;
        upgraded = true;
        transport = ws;
        for (WebSocketFrame frame : queued) ws.write(frame);
        ws.flush();
        log.debug("session {} upgraded to websocket", id);
    }

    /** A polling GET during an upgrade gets a noop at once, so the client can finish the upgrade. */
    boolean answerNoopIfUpgrading(Channel channel, boolean keepAlive) {
        if (probing == null) return false;
        PollingTransport.respond(channel, keepAlive, Unpooled.copiedBuffer(new byte[] {(byte) PacketType.NOOP.code()}));
        return true;
    }

    /** The probing WebSocket went away before the upgrade completed. */
    void onProbeClosed(WebSocketTransport candidate) {
        if (probing == candidate) {
            probing = null;
            if (upgradeTimeoutTask != null) upgradeTimeoutTask.cancel(false);
        }
    }

    // ------------------------------------------------------------------ close

    /** Closes the session from any thread; {@code sendClose} tells the client with a close packet first. */
    public void close(String reason, boolean sendClose) {
        execute(() -> doClose(reason, sendClose));
    }

    /** Closes the session and tells the client (close packet); the client does not reconnect by itself. */
    public void close() {
        close("forced close", true);
    }

    private void doClose(String reason, boolean sendClose) {
        if (state == State.CLOSED) return;
        state = State.CLOSED;
        if (pingTask != null) pingTask.cancel(false);
        if (pingTimeoutTask != null) pingTimeoutTask.cancel(false);
        if (upgradeTimeoutTask != null) upgradeTimeoutTask.cancel(false);
        if (probing != null) {
            probing.close(false);
            probing = null;
        }
        if (transport instanceof PollingTransport polling && sendClose) {
            polling.close(true);
        } else if (transport instanceof WebSocketTransport ws && sendClose) {
            ws.write(PollingTransport.textFrame("1"));
            ws.close(true);
        } else {
            transport.close(false);
        }
        server.remove(this);
        log.debug("session {} closed: {}", id, reason);
        try {
            handler.onClose(this, reason);
        } catch (RuntimeException e) {
            log.warn("close handler of session {} failed", id, e);
        }
    }
}
