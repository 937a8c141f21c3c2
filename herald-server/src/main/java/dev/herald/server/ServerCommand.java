package dev.herald.server;

import dev.herald.server.relay.EventFormat;
import dev.herald.socketio.IoTransport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code herald server}: the push server, in the foreground until stopped (SIGTERM/SIGINT stop it gracefully). */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the push server: Socket.IO (laravel-echo protocol), HTTP API and console on one port.",
                "Every option can also come from the environment variable HERALD_<OPTION> (e.g. HERALD_REDIS_URL)",
                "or from the --config properties file (e.g. redis-url=redis://...); a flag wins over both."})
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "6001", description = "Port for Socket.IO, the API and the console (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--redis-url", description = "Redis to receive events from (redis://[:password@]host:port[/db]); absent: the in-memory broker, single node.")
    String redisUrl;

    @Option(names = "--redis-prefix", defaultValue = "", description = "Key prefix of Laravel's Redis channels, stripped before routing: laravel_database_ (Laravel <= 10), laravel-database- (11+), or empty (default).")
    String redisPrefix;

    @Option(names = "--redis-subscribe", defaultValue = "per-channel", description = "per-channel (SUBSCRIBE only channels with subscribers; default) or pattern (PSUBSCRIBE <prefix>*).")
    String redisSubscribe;

    @Option(names = "--event-format", defaultValue = "echo", description = "echo: emit (event, channel, data) as laravel-echo expects (default); seed: emit '<channel>:<event>' with the data, as the tutorial's client expects.")
    String eventFormat;

    @Option(names = "--legacy-broadcast-all", defaultValue = "false", arity = "0..1", fallbackValue = "true", description = "UNSAFE, off by default: send every public event to EVERY connected socket, subscribed or not, like the tutorial's server. Any visitor can then read every public channel.")
    boolean legacyBroadcastAll;

    @Option(names = "--app-id", defaultValue = "herald", description = "App id in the HTTP API paths /apps/{appId}/... (default: ${DEFAULT-VALUE}).")
    String appId;

    @Option(names = "--api-key", description = "Key for the HTTP API (Authorization: Bearer <key>); absent: a random key, printed at start.")
    String apiKey;

    @Option(names = "--allowed-origins", defaultValue = "*", split = ",", description = "CORS origins allowed for long-polling, comma-separated; * for any (default).")
    List<String> allowedOrigins;

    @Option(names = "--ping-interval", defaultValue = "25000", description = "Engine.IO ping interval, ms (default: ${DEFAULT-VALUE}).")
    long pingInterval;

    @Option(names = "--ping-timeout", defaultValue = "20000", description = "Engine.IO ping timeout, ms (default: ${DEFAULT-VALUE}).")
    long pingTimeout;

    @Option(names = "--max-payload", defaultValue = "1000000", description = "Largest message or HTTP body, bytes (default: ${DEFAULT-VALUE}).")
    int maxPayload;

    @Option(names = "--max-pending-bytes", defaultValue = "1048576", description = "Bytes a connection may have waiting to be written before it is closed as a slow consumer (default: ${DEFAULT-VALUE}, 1 MiB).")
    long maxPendingBytes;

    @Option(names = "--max-pending-bytes-total", defaultValue = "134217728", description = "Bytes all connections together may have waiting to be written; each connection's share is at most --max-pending-bytes and at least 8 KiB (default: ${DEFAULT-VALUE}, 128 MiB).")
    long maxPendingBytesTotal;

    @Option(names = "--max-loop-backlog-bytes", defaultValue = "16777216", description = "Broadcast bytes an I/O thread may have queued before the server, out of CPU, sheds the connections a further broadcast is for (default: ${DEFAULT-VALUE}, 16 MiB).")
    long maxLoopBacklogBytes;

    @Option(names = "--max-broadcast-lag", defaultValue = "5000", description = "How long a broadcast may wait for its I/O thread, ms; later, the thread is overloaded and closes half of its connections, again while broadcasts stay late (default: ${DEFAULT-VALUE}).")
    long maxBroadcastLag;

    @Option(names = "--io-transport", defaultValue = "auto", description = "Socket interface of the I/O threads: auto (epoll when available, NIO otherwise; default), epoll, io_uring, nio.")
    String ioTransport;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with option defaults (keys are option names without dashes).")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config = toConfig();
        return runUntilStopped(config, apiKey == null);
    }

    ServerConfig toConfig() {
        boolean pattern = switch (redisSubscribe) {
            case "per-channel" -> false;
            case "pattern" -> true;
            default -> throw new IllegalArgumentException("--redis-subscribe must be per-channel or pattern, was '" + redisSubscribe + "'");
        };
        String key = apiKey != null ? apiKey : randomKey();
        return new ServerConfig(host, port, redisUrl, redisPrefix, pattern, EventFormat.parse(eventFormat), legacyBroadcastAll,
                appId, key, allowedOrigins, Duration.ofMillis(pingInterval), Duration.ofMillis(pingTimeout), maxPayload,
                new FlowControl(maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, Duration.ofMillis(maxBroadcastLag)),
                IoTransport.parse(ioTransport));
    }

    static String randomKey() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Starts the server, prints where it is, and blocks until the JVM is asked to stop. */
    static int runUntilStopped(ServerConfig config, boolean printKey) throws InterruptedException {
        HeraldServer server = new HeraldServer(config).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "herald-stop"));
        String base = "http://localhost:" + server.port();
        System.out.println("Herald is running: Socket.IO at " + base + "/socket.io/, console at " + base + "/");
        System.out.println("  broker: " + server.node().broker().describe() + ", event format: "
                + config.eventFormat().name().toLowerCase() + (config.legacyBroadcastAll() ? " (LEGACY BROADCAST-ALL: unsafe)" : ""));
        if (printKey) System.out.println("  API key (generated; set --api-key to choose one): " + config.apiKey());
        stopped.await();
        return 0;
    }
}
