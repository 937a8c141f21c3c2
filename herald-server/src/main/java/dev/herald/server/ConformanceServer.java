package dev.herald.server;

import dev.herald.socketio.SocketIoConfig;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.engineio.EngineIoServer;
import dev.herald.socketio.engineio.EngineIoSession;
import dev.herald.socketio.engineio.NettyServer;
import dev.herald.socketio.engineio.SessionHandler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The server the official protocol test suites expect (socketio/engine.io-protocol and
 * socketio/socket.io-protocol, {@code test-suite/}): port 3000, pingInterval 300 ms, pingTimeout 200 ms,
 * maxPayload 1000000, CORS {@code *}.
 */
public final class ConformanceServer {

    private ConformanceServer() {}

    /** The configuration both suites' READMEs ask for. */
    public static SocketIoConfig suiteConfig(String path) {
        return SocketIoConfig.defaults()
                .withPort(3000)
                .withPath(path)
                .withPingInterval(Duration.ofMillis(300))
                .withPingTimeout(Duration.ofMillis(200))
                .withMaxPayload(1_000_000)
                .withCorsOrigins(List.of("*"));
    }

    /** Runs in the foreground on port 3000 until the JVM is stopped. mode: engineio | socketio. */
    public static void run(String mode) throws InterruptedException {
        Runnable stop;
        switch (mode) {
            case "engineio" -> {
                NettyServer server = engineIo(suiteConfig("/engine.io/"));
                server.start();
                stop = server::stop;
            }
            case "socketio" -> {
                SocketIoServer server = socketIo(suiteConfig("/socket.io/").withConnectTimeout(Duration.ofMillis(1000)));
                server.start();
                stop = server::stop;
            }
            default -> throw new IllegalArgumentException("mode must be engineio or socketio, was " + mode);
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            done.countDown();
        }, "conformance-stop"));
        System.out.println("conformance server (" + mode + ") listening on http://localhost:3000");
        done.await();
    }

    /** Engine.IO alone: every message comes back as it was sent. */
    public static NettyServer engineIo(SocketIoConfig config) {
        EngineIoServer engine = new EngineIoServer(config, session -> new SessionHandler() {
            @Override
            public void onMessage(EngineIoSession s, String data) { s.sendMessage(data); }

            @Override
            public void onBinary(EngineIoSession s, byte[] data) { s.sendBinary(data); }

            @Override
            public void onClose(EngineIoSession s, String reason) { }
        });
        return new NettyServer(engine, null);
    }

    /** Socket.IO programmed as the socket.io-protocol suite's README says. */
    public static SocketIoServer socketIo(SocketIoConfig config) {
        SocketIoServer server = new SocketIoServer(config);
        server.namespace("/").onConnection(socket -> {
            socket.emit("auth", socket.handshake().auth());
            socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
            socket.on("message-with-ack", (args, ack) -> {
                if (ack != null) ack.send(args.toArray());
            });
        });
        server.namespace("/custom").onConnection(socket -> socket.emit("auth", socket.handshake().auth()));
        return server;
    }
}
