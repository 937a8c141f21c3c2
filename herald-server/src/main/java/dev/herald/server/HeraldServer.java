package dev.herald.server;

import dev.herald.core.Broker;
import dev.herald.core.Node;
import dev.herald.server.http.ApiHandler;
import dev.herald.server.relay.RelayOptions;
import dev.herald.server.relay.SocketIoRelay;
import dev.herald.socketio.SocketIoConfig;
import dev.herald.socketio.SocketIoServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled push server: a node on its broker (in-memory, or Redis), Socket.IO with the laravel-echo relay,
 * and the HTTP API and console on the same port.
 */
public final class HeraldServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeraldServer.class);

    private final ServerConfig config;
    private final Node node;
    private final SocketIoServer socketIo;
    private final SocketIoRelay relay;
    private final ApiHandler api;

    public HeraldServer(ServerConfig config) {
        this(config, Brokers.create(config));
    }

    /** With a broker of the caller's (tests, embedding apps). */
    public HeraldServer(ServerConfig config, Broker broker) {
        this.config = config;
        this.node = new Node(broker);
        SocketIoConfig socketConfig = SocketIoConfig.defaults()
                .withHost(config.host())
                .withPort(config.port())
                .withPingInterval(config.pingInterval())
                .withPingTimeout(config.pingTimeout())
                .withMaxPayload(config.maxPayload())
                .withCorsOrigins(config.allowedOrigins())
                .withWriteBufferWaterMark(Math.toIntExact(Math.min(512 * 1024, config.flowControl().maxPendingBytes() / 2)),
                        Math.toIntExact(Math.min(1024 * 1024, config.flowControl().maxPendingBytes())))
                .withMaxPendingBytes(config.flowControl().maxPendingBytes())
                .withMaxPendingBytesTotal(config.flowControl().maxPendingBytesTotal())
                .withMaxLoopBacklogBytes(config.flowControl().maxLoopBacklogBytes())
                .withMaxBroadcastLag(config.flowControl().maxBroadcastLag())
                .withIoTransport(config.ioTransport());
        // The API handler is shared by every connection; it is created once the server (its mapper) exists.
        this.socketIo = new SocketIoServer(socketConfig, this::api);
        this.api = new ApiHandler(node, socketIo.mapper(), config.appId(), config.apiKey(),
                () -> new ApiHandler.ConnectionStats(socketIo.connectionCount(), socketIo.slowConsumersClosed(), socketIo.overloadShed()));
        RelayOptions relayOptions = RelayOptions.defaults()
                .withEventFormat(config.eventFormat())
                .withLegacyBroadcastAll(config.legacyBroadcastAll());
        this.relay = new SocketIoRelay(socketIo, node, relayOptions);
    }

    /** Starts the broker, then accepts connections. */
    public HeraldServer start() {
        node.start();
        try {
            socketIo.start();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        log.info("herald on port {} (broker: {}, event format: {})", socketIo.port(), node.broker().describe(),
                config.eventFormat().name().toLowerCase());
        return this;
    }

    private ApiHandler api() { return api; }

    public int port() { return socketIo.port(); }

    public Node node() { return node; }

    public SocketIoServer socketIo() { return socketIo; }

    public SocketIoRelay relay() { return relay; }

    public ServerConfig config() { return config; }

    /** Graceful: connections closed (clients reconnect elsewhere), then the broker. */
    @Override
    public void close() {
        socketIo.stop();
        node.close();
    }
}
