package dev.herald.socketio.engineio;

import dev.herald.socketio.SocketIoConfig;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Engine.IO protocol brain, independent of how connections are accepted: the session registry, session
 * ids, the open packet, and the listener told of each new session. {@link EngineIoRequestHandler} feeds it
 * from the Netty pipeline; {@link NettyServer} runs that pipeline on a port.
 */
public final class EngineIoServer {

    private static final Logger log = LoggerFactory.getLogger(EngineIoServer.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long SHED_WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** The least a connection may queue however many there are: a few dozen typical events. */
    static final long MIN_PENDING_SHARE = 8 * 1024;

    private final WebSocketDecoderConfig webSocketDecoderConfig;
    private final SocketIoConfig config;
    private final EngineIoListener listener;
    private final Map<String, EngineIoSession> sessions = new ConcurrentHashMap<>();
    private final Map<EventLoop, LoopBacklog> backlogs = new ConcurrentHashMap<>();
    private final LongAdder slowConsumers = new LongAdder();
    private final LongAdder shed = new LongAdder();
    private volatile long pendingLimit;
    private final AtomicLong lastShedWarning = new AtomicLong(System.nanoTime() - SHED_WARNING_INTERVAL_NANOS);

    public EngineIoServer(SocketIoConfig config, EngineIoListener listener) {
        this.config = config;
        this.listener = listener;
        this.webSocketDecoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(config.maxPayload())
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .build();
        updatePendingLimit();
    }

    public SocketIoConfig config() { return config; }

    /** The WebSocket frame decoder's settings, one immutable instance for every connection (it is kept by each). */
    WebSocketDecoderConfig webSocketDecoderConfig() { return webSocketDecoderConfig; }

    /** Live sessions, unmodifiable view. */
    public Collection<EngineIoSession> sessions() { return Collections.unmodifiableCollection(sessions.values()); }

    public int sessionCount() { return sessions.size(); }

    EngineIoSession session(String sid) { return sessions.get(sid); }

    /** Sessions closed because their client did not read fast enough ({@code maxPendingBytes}). */
    public long slowConsumersClosed() { return slowConsumers.sum(); }

    /** Sessions closed because the server fell behind ({@code maxLoopBacklogBytes}, {@code maxBroadcastLag}). */
    public long overloadShed() { return shed.sum(); }

    LoopBacklog backlog(EventLoop loop) { return backlogs.computeIfAbsent(loop, l -> new LoopBacklog()); }

    void slowConsumerClosed() { slowConsumers.increment(); }

    /** Counts sessions shed for overload, and says so at WARN at most every 10 s (an overload sheds in waves). */
    void shedForOverload(int count, String why) {
        if (count == 0) return;
        shed.add(count);
        long now = System.nanoTime();
        long last = lastShedWarning.get();
        if (now - last >= SHED_WARNING_INTERVAL_NANOS && lastShedWarning.compareAndSet(last, now)) {
            log.warn("server overloaded: closed {} connection(s) ({}); {} so far. Their clients reconnect; see "
                    + "maxLoopBacklogBytes and maxBroadcastLag", count, why, shed.sum());
        } else {
            log.debug("server overloaded: closed {} connection(s) ({})", count, why);
        }
    }

    void register(EngineIoSession session) {
        sessions.put(session.id(), session);
        updatePendingLimit();
    }

    void remove(EngineIoSession session) {
        if (sessions.remove(session.id(), session)) updatePendingLimit();
    }

    /**
     * Outbound bytes one connection may queue now: its share of {@code maxPendingBytesTotal}, at most
     * {@code maxPendingBytes} and at least {@value #MIN_PENDING_SHARE} bytes.
     */
    long pendingLimit() { return pendingLimit; }

    private void updatePendingLimit() {
        long share = config.maxPendingBytesTotal() / Math.max(1, sessions.size());
        pendingLimit = Math.min(config.maxPendingBytes(), Math.max(MIN_PENDING_SHARE, share));
    }

    SessionHandler handlerFor(EngineIoSession session) {
        SessionHandler handler = listener.onOpen(session);
        if (handler == null) throw new IllegalStateException("EngineIoListener returned no handler");
        return handler;
    }

    /** The Engine.IO open packet ({@code 0{...}}) for a new session. */
    String openPacket(String sid, boolean offerUpgrades) {
        String upgrades = offerUpgrades && config.websocketEnabled() && config.allowUpgrades() ? "[\"websocket\"]" : "[]";
        return "0{\"sid\":\"" + sid + "\",\"upgrades\":" + upgrades
                + ",\"pingInterval\":" + config.pingInterval().toMillis()
                + ",\"pingTimeout\":" + config.pingTimeout().toMillis()
                + ",\"maxPayload\":" + config.maxPayload() + "}";
    }

    /** A random, URL-safe, 20-character id (120 bits), the same shape as Node's base64id. */
    public static String newId() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Closes every session with a close packet, so clients reconnect (used on graceful stop). */
    public void closeAll(String reason) {
        List<EngineIoSession> all = new ArrayList<>(sessions.values());
        for (EngineIoSession session : all) session.close(reason, true);
        log.debug("closed {} sessions: {}", all.size(), reason);
    }
}
