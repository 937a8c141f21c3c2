package dev.herald.socketio.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.socketio.ConnectionRefusedException;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.SocketIoConfig;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.testing.NodeScript;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compatibility with the real npm {@code socket.io-client} 4.8: every scenario of
 * {@code clients/compat/client.mjs}, over websocket only, polling only, and polling upgraded to
 * websocket.
 *
 * <p>The server is programmed exactly like {@code clients/compat/reference-server.mjs} (the same
 * program on the Node.js {@code socket.io} 4.8 server), against which the scenarios are validated.
 *
 * <p>{@code -Dherald.compat.verbose=true} prints every client's output, also when it passes.
 */
@Timeout(90)
class JsClientCompatibilityTest {

    /** How a scenario's client connects. */
    enum Transport {
        WEBSOCKET("{\"transports\":[\"websocket\"]}"),
        POLLING("{\"transports\":[\"polling\"]}"),
        /** socket.io-client's default: polling first, then upgrade; the script asserts the upgrade. */
        POLLING_UPGRADE("{}");

        final String options;

        Transport(String options) {
            this.options = options;
        }
    }

    private static final List<String> SCENARIOS = List.of("echo", "ack", "binary", "namespace", "rooms");
    /** The script's own timeout is 15 s; this only guards against a hung process. */
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    private SocketIoServer server;

    @BeforeAll
    static void installClients() {
        NodeScript.ensureInstalled();
    }

    @BeforeEach
    void startServer() {
        server = startProgrammedServer(0);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    static Stream<Arguments> scenarios() {
        return SCENARIOS.stream().flatMap(scenario -> Stream.of(Transport.values())
                .map(transport -> Arguments.of(scenario, transport)));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("scenarios")
    void scenario(String scenario, Transport transport) {
        try (NodeScript client = compatClient(scenario, baseUrl(server.port()), transport)) {
            assertSuccess(client);
        }
    }

    @ParameterizedTest(name = "reconnect over {0}")
    @EnumSource(Transport.class)
    void reconnect(Transport transport) {
        int port = server.port();
        try (NodeScript client = compatClient("reconnect", baseUrl(port), transport)) {
            client.await(event("connected"), "event \"connected\"");

            server.stop();
            server = null;
            server = startProgrammedServer(port);
            assertThat(server.port()).isEqualTo(port);

            assertSuccess(client);
            assertThat(client.lines(event("disconnect"))).as(client.describe()).isNotEmpty();
            assertThat(client.lines(event("reconnected"))).as(client.describe()).isNotEmpty();
        }
    }

    /** {@code node clients/compat/client.mjs <scenario> <baseUrl> <options>}: progress lines, then a result line. */
    private static NodeScript compatClient(String scenario, String baseUrl, Transport transport) {
        return NodeScript.start(EXIT_TIMEOUT, "compat/client.mjs", List.of(scenario, baseUrl, transport.options));
    }

    private static Predicate<JsonNode> event(String name) {
        return line -> name.equals(line.path("event").asText(null));
    }

    private static void assertSuccess(NodeScript client) {
        int exitCode = client.awaitExit();
        String output = client.describe();
        if (Boolean.getBoolean("herald.compat.verbose")) {
            System.out.println(output);
        }
        assertThat(exitCode).as(output).isZero();
        assertThat(client.lines(line -> line.has("result"))).as(output)
                .singleElement().satisfies(result -> assertThat(result.path("result").asText()).as(output).isEqualTo("ok"));
    }

    private static String baseUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    /**
     * The compatibility server program; keep in step with
     * {@code clients/compat/reference-server.mjs}.
     */
    static SocketIoServer startProgrammedServer(int port) {
        SocketIoConfig config = SocketIoConfig.defaults()
                .withPort(port)
                .withPingInterval(Duration.ofMillis(300))
                .withPingTimeout(Duration.ofMillis(200))
                .withCorsOrigins(List.of("*"));
        SocketIoServer server = new SocketIoServer(config);

        Namespace main = server.namespace("/");
        main.onConnection(socket -> {
            socket.emit("auth", socket.handshake().auth());
            socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
            socket.on("message-with-ack", (args, ack) -> {
                if (ack != null) {
                    ack.send(args.toArray());
                }
            });
            socket.on("ask-me", (args, ack) -> socket.emitWithAck("server-asks",
                    replyArgs -> socket.emit("server-got", replyArgs.get(0)), args.get(0)));
            socket.on("join", (args, ack) -> socket.join(args.get(0).asText()));
            socket.on("broadcast-room", (args, ack) -> {
                JsonNode request = args.get(0);
                main.to(request.get("room").asText()).emit("room-event", request.get("payload"));
            });
        });

        Namespace custom = server.namespace("/custom");
        custom.onConnection(socket -> {
            socket.emit("auth", socket.handshake().auth());
            socket.on("message", (args, ack) -> socket.emit("message-back", args.toArray()));
        });

        server.namespace("/forbidden").use(handshake -> {
            throw new ConnectionRefusedException("Not authorized");
        });

        server.start();
        return server;
    }
}
