package dev.herald.server.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.ServerConfig;
import dev.herald.socketio.testing.NodeScript;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The UNSAFE tutorial mode ({@code --event-format seed --legacy-broadcast-all}): every public event goes to every
 * socket, so the tutorial's page works without subscribing. Guarded channels' events still go nowhere
 * unsubscribed, and subscribed sockets do not get events twice.
 */
class LegacyBroadcastAllTest extends RelayTestBase {

    @Override
    ServerConfig config() {
        return ServerConfig.defaults(API_KEY).withEventFormat(EventFormat.SEED).withLegacyBroadcastAll(true);
    }

    private static Predicate<JsonNode> eventAt(int socket) {
        return l -> l.path("type").asText().equals("event") && l.path("socket").asInt() == socket;
    }

    @Test
    void theTutorialPageWithoutSubscribingGetsPublicEventsButNoGuardedOnes() {
        String channel = unique("login.qr");
        // WebSocket from the start: two events in a row to an upgraded session can hit the lost-flush bug (see
        // LaravelEchoRelayTest.aBurstReachesUpgradedEchoClientsCompletelyAndInOrder)
        NodeScript page = tutorialClient(channel, "--transports", "websocket");
        awaitSocket(page.await("connect").path("id").asText());

        // the leak this mode keeps: another page's public channel reaches this page too
        String someoneElse = unique("login.qr");
        publishHttp(someoneElse, "wechat.login", "{\"token\":\"someone-elses\"}", null);
        // guarded channels: never broadcast to all
        publishHttp("private-" + channel, "wechat.login", "{\"token\":\"private\"}", null);
        publish("presence-" + channel, "wechat.login", "{\"token\":\"presence\"}");
        publish("private-encrypted-" + channel, "wechat.login", "{\"token\":\"encrypted\"}");
        // the page's own event, last: the page closes its socket on it
        publishHttp(channel, "wechat.login", "{\"token\":\"mine\"}", null);

        assertThat(page.await("login").get("data")).isEqualTo(json("{\"token\":\"mine\"}"));
        assertThat(page.awaitExit()).isZero();
        assertThat(page.linesOfType("any")).extracting(l -> l.path("event").asText())
                .containsExactly(someoneElse + ":wechat.login", channel + ":wechat.login");
        assertThat(page.linesOfType("token")).extracting(l -> l.path("token").asText()).containsExactly("mine");
    }

    @Test
    void theTutorialPageThatSubscribesGetsItsEventOnce() {
        String channel = unique("login.qr");
        NodeScript page = tutorialClient(channel, "--subscribe");
        page.await("connect");
        awaitSubscribers(channel, 1);
        publish(channel, "wechat.login", "{\"token\":\"mine\"}");
        page.await("redirect");
        assertThat(page.awaitExit()).isZero();
        assertThat(page.linesOfType("any")).hasSize(1);
    }

    @Test
    void subscribedAndUnsubscribedSocketsGetEachPublicEventOnce() {
        String channel = unique("orders");
        NodeScript client = socketIoClient("--seed", "--transports", "websocket", "--socket", channel, "--socket", "");
        client.await("all-ready");
        assertThat(server.node().channelCounts()).containsEntry(channel, 1);

        publish(channel, "order.paid", "{\"n\":1}");
        publishHttp(channel, "order.paid", "{\"n\":2}", null);
        publish(channel, "marker", "{}");

        for (int s = 0; s < 2; s++) {
            client.await(eventAt(s).and(l -> l.path("event").asText().equals(channel + ":marker")), "marker at socket " + s);
            assertThat(client.lines(eventAt(s))).as("socket %d", s).extracting(l -> l.path("event").asText() + " " + l.get("data"))
                    .containsExactly(channel + ":order.paid {\"n\":1}", channel + ":order.paid {\"n\":2}", channel + ":marker {}");
        }
    }

    @Test
    void toOthersStillLeavesOutTheOriginatingSocket() {
        NodeScript client = socketIoClient("--seed", "--no-subscribe", "--transports", "polling", "--socket", "", "--socket", "");
        JsonNode ready = client.await("all-ready");
        String id0 = ready.get("ids").get(0).asText();
        awaitSocket(id0);
        awaitSocket(ready.get("ids").get(1).asText());
        String channel = unique("orders");

        publishHttp(channel, "order.paid", "{\"n\":1}", id0);
        publish(channel, "marker", "{}");

        for (int s = 0; s < 2; s++) {
            client.await(eventAt(s).and(l -> l.path("event").asText().equals(channel + ":marker")), "marker at socket " + s);
        }
        assertThat(client.lines(eventAt(0))).extracting(l -> l.path("event").asText()).containsExactly(channel + ":marker");
        assertThat(client.lines(eventAt(1))).extracting(l -> l.path("event").asText())
                .containsExactly(channel + ":order.paid", channel + ":marker");
    }

    @Test
    void guardedSubscriptionsAreStillRefused() {
        NodeScript client = socketIoClient("--seed", "--transports", "websocket");
        client.await("all-ready");
        client.send(Map.of("op", "subscribe", "socket", 0, "channel", "private-orders.1", "tag", "p"));
        JsonNode ack = client.await(l -> l.path("type").asText().equals("ack"), "ack").get("ack");
        assertThat(ack.path("ok").asBoolean()).isFalse();
        JsonNode error = client.await(eventAt(0), "subscription_error");
        assertThat(error.path("event").asText()).isEqualTo("subscription_error");
        assertThat(error.get("args")).isEqualTo(json("[\"private-orders.1\",403," + JSON.valueToTree(ack.path("error").asText()) + "]"));
        assertThat(server.node().channelCounts()).isEmpty();
        List<JsonNode> none = client.lines(eventAt(0).and(l -> !l.path("event").asText().equals("subscription_error")));
        assertThat(none).isEmpty();
    }
}
