package dev.herald.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.HeraldServer;
import dev.herald.socketio.testing.NodeScript;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Herald restart (a deploy): {@link HeraldServer#close()} ends the sessions with an Engine.IO close packet, so
 * laravel-echo's socket.io-client reconnects, and Echo 2.x re-subscribes its channels on the manager's
 * {@code reconnect}; events published after that reach the page again.
 */
class EchoReconnectTest extends RelayTestBase {

    @ParameterizedTest(name = "transports: {0}")
    @ValueSource(strings = {"websocket", "default"})
    void echoResubscribesAfterAServerRestart(String transports) {
        NodeScript echo = echoClient("--reconnect", "--transports", transports, "--channel", "orders", "--listen", ".order.paid");
        String firstId = echo.await("ready").path("id").asText();
        publish("orders", "order.paid", "{\"n\":1}");
        echo.await("event");

        int port = server.port();
        server.close();
        echo.await("disconnect");
        server = new HeraldServer(config().withPort(port)).start();

        echo.await("reconnect");
        awaitSubscribers("orders", 1);
        publish("orders", "order.paid", "{\"n\":2}");
        echo.awaitCount(NodeScript.type("event"), 2, "events");

        List<JsonNode> connects = echo.linesOfType("connect");
        assertThat(connects).hasSize(2);
        assertThat(connects.get(1).path("id").asText()).as("a new socket id").isNotEqualTo(firstId);
        assertThat(echo.linesOfType("disconnect").get(0).path("reason").asText()).isEqualTo("transport close");
        assertThat(echo.linesOfType("event")).extracting(l -> l.path("data").path("n").asInt()).containsExactly(1, 2);
    }
}
