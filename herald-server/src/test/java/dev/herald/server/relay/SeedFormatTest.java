package dev.herald.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.ServerConfig;
import dev.herald.socketio.testing.NodeScript;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seed format ({@code --event-format seed}), broadcast-to-all off: the tutorial's event naming
 * {@code <channel>:<event>} with the data alone, but only to sockets that subscribed.
 */
class SeedFormatTest extends RelayTestBase {

    static final String LOGIN = "{\"token\":\"eyJhbGciOiJIUzI1NiJ9.e30.sig\",\"user\":{\"id\":7,\"name\":\"张三\"}}";

    @Override
    ServerConfig config() {
        return ServerConfig.defaults(API_KEY).withEventFormat(EventFormat.SEED);
    }

    @Test
    void theTutorialPageThatSubscribesGetsChannelColonWechatLogin() {
        String channel = unique("login.qr");
        NodeScript page = tutorialClient(channel, "--subscribe");
        page.await("connect");
        awaitSubscribers(channel, 1);

        publishHttp(channel, "wechat.login", LOGIN, null);

        JsonNode any = page.await("any");
        assertThat(any.path("event").asText()).isEqualTo(channel + ":wechat.login");
        assertThat(any.get("args")).as("the data alone, no channel argument").isEqualTo(json("[" + LOGIN + "]"));
        assertThat(page.await("login").get("data")).isEqualTo(json(LOGIN));
        assertThat(page.await("token").path("token").asText()).isEqualTo("eyJhbGciOiJIUzI1NiJ9.e30.sig");
        assertThat(page.await("redirect").path("to").asText()).isEqualTo("/home");
        assertThat(page.awaitExit()).isZero();
    }

    @Test
    void seedSocketsReceiveOnlyTheirChannels() {
        String mine = unique("mine");
        String other = unique("other");
        NodeScript client = socketIoClient("--seed", "--transports", "polling", "--socket", mine, "--socket", other);
        client.await("all-ready");

        publish(other, "wechat.login", "{\"token\":\"not-yours\"}");
        publish(mine, "wechat.login", "{\"token\":\"yours\"}");
        publish(other, "marker", "{}");

        JsonNode event = client.await(l -> l.path("type").asText().equals("event") && l.path("socket").asInt() == 0, "event at socket 0");
        client.await(l -> l.path("type").asText().equals("event") && l.path("event").asText().equals(other + ":marker"), "marker at socket 1");
        assertThat(event.path("event").asText()).isEqualTo(mine + ":wechat.login");
        assertThat(event.get("args")).isEqualTo(json("[{\"token\":\"yours\"}]"));
        List<JsonNode> atZero = client.lines(l -> l.path("type").asText().equals("event") && l.path("socket").asInt() == 0);
        assertThat(atZero).hasSize(1);
        List<JsonNode> atOne = client.lines(l -> l.path("type").asText().equals("event") && l.path("socket").asInt() == 1);
        assertThat(atOne).extracting(l -> l.path("event").asText()).containsExactly(other + ":wechat.login", other + ":marker");
    }
}
