package dev.herald.socketio;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.herald.socketio.engineio.EngineIoServer;
import dev.herald.socketio.engineio.NettyServer;
import dev.herald.socketio.parser.PacketEncoder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * An embeddable Socket.IO v4 server (Engine.IO v4, Socket.IO v5) on Netty.
 *
 * <pre>{@code
 * SocketIoServer server = new SocketIoServer(SocketIoConfig.defaults().withPort(3000));
 * server.namespace("/").onConnection(socket ->
 *         socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray())));
 * server.start();
 * server.namespace("/").to("room-1").emit("news", Map.of("text", "hello"));   // any thread
 * server.stop();
 * }</pre>
 *
 * Namespaces exist once {@link #namespace(String)} names them; clients asking for any other get
 * {@code CONNECT_ERROR "Invalid namespace"}.
 */
public final class SocketIoServer {

    private final SocketIoConfig config;
    private final ObjectMapper mapper;
    private final PacketEncoder encoder;
    private final EngineIoServer engine;
    private final NettyServer netty;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();

    public SocketIoServer(SocketIoConfig config) {
        this(config, null);
    }

    /**
     * @param httpFallback creates, per connection, the handler of HTTP requests outside the Engine.IO path
     *                     (it receives {@code FullHttpRequest}s); {@code null} answers them 404
     */
    public SocketIoServer(SocketIoConfig config, Supplier<ChannelHandler> httpFallback) {
        this.config = Objects.requireNonNull(config, "config");
        this.mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.encoder = new PacketEncoder(mapper, ByteBufAllocator.DEFAULT);
        this.engine = new EngineIoServer(config, session -> new Client(this, session));
        this.netty = new NettyServer(engine, httpFallback);
        namespace("/");
    }

    public SocketIoConfig config() { return config; }

    /** The Jackson mapper used for packets. */
    public ObjectMapper mapper() { return mapper; }

    PacketEncoder encoder() { return encoder; }

    /** The namespace of this name, created on first use. Names start with {@code /}. */
    public Namespace namespace(String name) {
        if (name == null || !name.startsWith("/")) throw new IllegalArgumentException("namespace must start with '/': " + name);
        return namespaces.computeIfAbsent(name, n -> new Namespace(n, this));
    }

    /** The namespace of this name, or {@code null} when it was never created. */
    public Namespace findNamespace(String name) { return namespaces.get(name); }

    /** Number of open Engine.IO sessions (connections). */
    public int connectionCount() { return engine.sessionCount(); }

    /** Connections closed because their client did not read fast enough ({@code maxPendingBytes}). */
    public long slowConsumersClosed() { return engine.slowConsumersClosed(); }

    /** Connections closed because the server fell behind ({@code maxLoopBacklogBytes}, {@code maxBroadcastLag}). */
    public long overloadShed() { return engine.overloadShed(); }

    /** Binds the port; returns when the server accepts connections. */
    public void start() { netty.start(); }

    /** The bound port, -1 before {@link #start()}. */
    public int port() { return netty.port(); }

    public boolean isRunning() { return netty.isRunning(); }

    /**
     * Graceful stop: stops accepting, closes every connection with an Engine.IO close (clients reconnect to the
     * next server on their own), then ends the threads. The port is free when this returns.
     */
    public void stop() { netty.stop(); }

    String newSocketId() { return EngineIoServer.newId(); }
}
