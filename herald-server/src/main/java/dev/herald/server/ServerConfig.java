package dev.herald.server;

import dev.herald.server.relay.EventFormat;
import dev.herald.socketio.IoTransport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code herald server} is configured with; see docs/configuration.md.
 *
 * @param host               address to bind
 * @param port               port of Socket.IO, the HTTP API and the console
 * @param redisUrl           Redis to use as broker; {@code null}: the in-memory broker (single node)
 * @param redisPrefix        Redis key prefix of Laravel's channels ({@code laravel_database_}, {@code laravel-database-}, or empty)
 * @param redisPattern       subscribe with PSUBSCRIBE {@code <prefix>*} instead of per channel
 * @param eventFormat        echo (laravel-echo) or seed (the tutorial's {@code channel:event})
 * @param legacyBroadcastAll UNSAFE tutorial mode: every public event to every socket
 * @param appId              the app id of the HTTP API paths
 * @param apiKey             the HTTP API key
 * @param allowedOrigins     CORS origins for long-polling and the API; {@code *} for any
 * @param pingInterval       Engine.IO ping interval
 * @param pingTimeout        Engine.IO ping timeout
 * @param maxPayload         largest message or HTTP body, bytes
 * @param flowControl        when slow connections, or all of them when the server is behind, are shed
 * @param ioTransport        the event loops' socket interface (auto: epoll when available, NIO otherwise)
 */
public record ServerConfig(String host, int port, String redisUrl, String redisPrefix, boolean redisPattern,
                           EventFormat eventFormat, boolean legacyBroadcastAll, String appId, String apiKey,
                           List<String> allowedOrigins, Duration pingInterval, Duration pingTimeout, int maxPayload,
                           FlowControl flowControl, IoTransport ioTransport) {

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(eventFormat, "eventFormat");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(flowControl, "flowControl");
        Objects.requireNonNull(ioTransport, "ioTransport");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
        if (redisUrl != null && redisUrl.isBlank()) redisUrl = null;
        redisPrefix = redisPrefix == null ? "" : redisPrefix;
        allowedOrigins = List.copyOf(allowedOrigins);
        if (apiKey.length() < 8) throw new IllegalArgumentException("the API key must be at least 8 characters");
        if (appId.isEmpty() || appId.contains("/")) throw new IllegalArgumentException("invalid app id '" + appId + "'");
    }

    /** With {@link FlowControl#defaults()} and {@link IoTransport#AUTO}. */
    public ServerConfig(String host, int port, String redisUrl, String redisPrefix, boolean redisPattern,
                        EventFormat eventFormat, boolean legacyBroadcastAll, String appId, String apiKey,
                        List<String> allowedOrigins, Duration pingInterval, Duration pingTimeout, int maxPayload) {
        this(host, port, redisUrl, redisPrefix, redisPattern, eventFormat, legacyBroadcastAll, appId, apiKey,
                allowedOrigins, pingInterval, pingTimeout, maxPayload, FlowControl.defaults(), IoTransport.AUTO);
    }

    /** Defaults: port 6001, in-memory broker, echo format, CORS for any origin. */
    public static ServerConfig defaults(String apiKey) {
        return new ServerConfig("0.0.0.0", 6001, null, "", false, EventFormat.ECHO, false, "herald", apiKey,
                List.of("*"), Duration.ofSeconds(25), Duration.ofSeconds(20), 1_000_000);
    }

    public ServerConfig withHost(String v) { return new ServerConfig(v, port, redisUrl, redisPrefix, redisPattern, eventFormat, legacyBroadcastAll, appId, apiKey, allowedOrigins, pingInterval, pingTimeout, maxPayload, flowControl, ioTransport); }
    public ServerConfig withAppId(String v) { return new ServerConfig(host, port, redisUrl, redisPrefix, redisPattern, eventFormat, legacyBroadcastAll, v, apiKey, allowedOrigins, pingInterval, pingTimeout, maxPayload, flowControl, ioTransport); }
    public ServerConfig withApiKey(String v) { return new ServerConfig(host, port, redisUrl, redisPrefix, redisPattern, eventFormat, legacyBroadcastAll, appId, v, allowedOrigins, pingInterval, pingTimeout, maxPayload, flowControl, ioTransport); }
    public ServerConfig withMaxPayload(int v) { return new ServerConfig(host, port, redisUrl, redisPrefix, redisPattern, eventFormat, legacyBroadcastAll, appId, apiKey, allowedOrigins, pingInterval, pingTimeout, v, flowControl, ioTransport); }
    public ServerConfig withPort(int v) { return new ServerConfig(host, v, redisUrl, redisPrefix, redisPattern, eventFormat, legacyBroadcastAll, appId, apiKey, allowedOrigins, pingInterval, pingTimeout, maxPayload, flowControl, ioTransport); }
    public ServerConfig withRedis(String url, String prefix, boolean pattern) { return new ServerConfig(host, port, url, prefix, pattern, eventFormat, legacyBroadcastAll, appId, apiKey, allowedOrigins, pingInterval, pingTimeout, maxPayload, flowControl, ioTransport); }
    public ServerConfig withEventFormat(EventFormat v) { return new ServerConfig(host, port, redisUrl, redisPrefix, redisPattern, v, legacyBroadcastAll, appId, apiKey, allowedOrigins, pingInterval, pingTimeout, maxPayload, flowControl, ioTransport); }
    public ServerConfig withLegacyBroadcastAll(boolean v) { return new ServerConfig(host, port, redisUrl, redisPrefix, redisPattern, eventFormat, v, appId, apiKey, allowedOrigins, pingInterval, pingTimeout, maxPayload, flowControl, ioTransport); }
    public ServerConfig withPing(Duration interval, Duration timeout) { return new ServerConfig(host, port, redisUrl, redisPrefix, redisPattern, eventFormat, legacyBroadcastAll, appId, apiKey, allowedOrigins, interval, timeout, maxPayload, flowControl, ioTransport); }
    public ServerConfig withAllowedOrigins(List<String> v) { return new ServerConfig(host, port, redisUrl, redisPrefix, redisPattern, eventFormat, legacyBroadcastAll, appId, apiKey, v, pingInterval, pingTimeout, maxPayload, flowControl, ioTransport); }
    public ServerConfig withFlowControl(FlowControl v) { return new ServerConfig(host, port, redisUrl, redisPrefix, redisPattern, eventFormat, legacyBroadcastAll, appId, apiKey, allowedOrigins, pingInterval, pingTimeout, maxPayload, v, ioTransport); }
    public ServerConfig withIoTransport(IoTransport v) { return new ServerConfig(host, port, redisUrl, redisPrefix, redisPattern, eventFormat, legacyBroadcastAll, appId, apiKey, allowedOrigins, pingInterval, pingTimeout, maxPayload, flowControl, v); }
}
