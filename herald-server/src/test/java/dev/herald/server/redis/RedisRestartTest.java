package dev.herald.server.redis;

import static dev.herald.socketio.testing.NodeScript.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.server.HeraldServer;
import dev.herald.socketio.testing.NodeScript;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redis killed ({@code SIGKILL}) and started again on the same port while pages are subscribed: the server stays
 * up, says so ({@code /health} 503, {@code POST /apps/herald/events} 503 with an error, a subscription asked for
 * meanwhile answered), reconnects and resubscribes by itself, and delivers what is published afterwards, in
 * per-channel and in pattern mode.
 */
class RedisRestartTest extends RedisTestBase {

    /** Redis commands wait up to RedisBrokerConfig's default command timeout (5 s) for a reconnect; then they fail. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(12);

    private HeraldServer perChannel;
    private HeraldServer pattern;

    @BeforeAll
    void startServers() {
        perChannel = startServer(redisConfig("laravel_database_", false));
        pattern = startServer(redisConfig("laravel-database-", true));
    }

    /**
     * Each test restarts Redis, but awaits only the recovery of the server it uses; the other one reconnects on its
     * own backoff (up to 2 s, jittered) and may still be down when the next test starts with it.
     */
    @BeforeEach
    void bothServersRecovered() {
        for (HeraldServer server : List.of(perChannel, pattern)) {
            await().alias(server.config().redisPrefix() + " server's broker is up").atMost(WAIT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> get(server, "/health").statusCode() == 200);
        }
    }

    @ParameterizedTest(name = "pattern mode {0}")
    @ValueSource(booleans = {false, true})
    void serverReconnectsAndResubscribesAfterRedisRestarts(boolean patternMode) {
        HeraldServer server = patternMode ? pattern : perChannel;
        String prefix = server.config().redisPrefix();
        String channel = unique("orders");
        String late = unique("orders.late");

        NodeScript websocket = socketIoClient(server, "websocket", "--socket", channel);
        NodeScript polling = socketIoClient(server, "polling", "--socket", channel);
        NodeScript echo = echoClient(server, "default", channel, ".order.paid");
        List<NodeScript> all = List.of(websocket, polling, echo);
        websocket.await("all-ready");
        polling.await("all-ready");
        awaitLive(server, channel, 3);
        assertHealth(server, 200, "ok", true);
        redisPublish(prefix + channel, order(1));
        awaitOrder(all, channel, 1);

        // ---- Redis dies
        redis.stop();
        await().alias("/health reports the broker down")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> get(server, "/health").statusCode() == 503);
        assertHealth(server, 503, "degraded", false);

        // A page subscribing now is answered (per channel: refused, 503; pattern: Redis sends everything anyway).
        websocket.send(command("subscribe", late, "during-outage"));
        long start = System.nanoTime();
        HttpResponse<String> publish = postEvent(server, channel, "order.paid", "{\"orderId\":99}");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(publish.statusCode()).as("POST events while Redis is down: %s", publish.body()).isEqualTo(503);
        assertThat(json(publish.body()).path("error").asText()).as("the error")
                .startsWith("publish failed").contains("PUBLISH " + prefix + channel);
        assertThat(took).as("answered, not hung").isLessThan(ANSWER_WITHIN);
        JsonNode duringOutage = websocket.await(l -> "during-outage".equals(l.path("tag").asText()), "the ack during the outage");
        if (patternMode) {
            assertThat(duringOutage.path("ack").path("ok").asBoolean()).as("ack %s", duringOutage).isTrue();
        } else {
            assertThat(duringOutage.path("ack").path("ok").asBoolean()).as("ack %s", duringOutage).isFalse();
            assertThat(duringOutage.path("ack").path("error").asText()).contains("could not be made live");
            JsonNode error = websocket.await(l -> "subscription_error".equals(l.path("event").asText()), "subscription_error");
            assertThat(error.path("args").path(0).asText()).isEqualTo(late);
            assertThat(error.path("args").path(1).asInt()).isEqualTo(503);
        }
        assertHealth(server, 503, "degraded", false); // still up and answering

        // ---- Redis is back on the same port: nothing but the server itself reconnects and resubscribes
        redis.start();
        await().alias("/health reports the broker back")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> get(server, "/health").statusCode() == 200);
        assertHealth(server, 200, "ok", true);
        awaitLive(server, channel, 3);
        redisPublish(prefix + channel, order(2));
        awaitOrder(all, channel, 2);
        HttpResponse<String> afterRecovery = postEvent(server, channel, "order.paid", "{\"orderId\":3}");
        assertThat(afterRecovery.statusCode()).as("POST events after recovery: %s", afterRecovery.body()).isEqualTo(200);
        awaitOrder(all, channel, 3);

        // The page refused during the outage tries again and is served.
        websocket.send(command("subscribe", late, "after-recovery"));
        JsonNode afterAck = websocket.await(l -> "after-recovery".equals(l.path("tag").asText()), "the ack after recovery");
        assertThat(afterAck.path("ack").path("ok").asBoolean()).as("ack %s", afterAck).isTrue();
        awaitLive(server, late, 1);
        redisPublish(prefix + late, order(4));
        websocket.await(l -> socketEvent(0, "order.paid", late).test(l) && l.path("data").path("orderId").asInt() == 4, "order 4 on " + late);

        for (NodeScript client : all) {
            assertThat(client.lines(type("disconnect"))).as("%s stayed connected", client).isEmpty();
            assertThat(client.lines(l -> l.path("type").asText().equals("event") && !l.path("data").path("orderId").isMissingNode()
                    && l.path("data").path("orderId").asInt() == 99)).as("%s: the refused publication", client).isEmpty();
        }
        assertThat(websocket.lines(socketEvent(0, "order.paid", channel)).stream().map(l -> l.path("data").path("orderId").asInt()))
                .as("orders on %s, each once", channel).containsExactly(1, 2, 3);
        assertThat(echo.lines(echoEvent(channel)).stream().map(l -> l.path("data").path("orderId").asInt())).containsExactly(1, 2, 3);
    }

    /**
     * A short outage (Redis back within the command timeout) while pages come and go: an unsubscribe of a channel's
     * last page and a subscribe of a new channel, both asked for while Redis is down. Once Redis is back, Redis holds
     * exactly what the pages hold: the new channel is delivered, the abandoned one is no longer subscribed.
     */
    @ParameterizedTest(name = "pattern mode {0}")
    @ValueSource(booleans = {false, true})
    void subscriptionChangesDuringAShortOutageAreReconciled(boolean patternMode) {
        HeraldServer server = patternMode ? pattern : perChannel;
        String prefix = server.config().redisPrefix();
        String kept = unique("orders.kept");
        String gone = unique("orders.gone");
        String late = unique("orders.late");
        NodeScript sockets = socketIoClient(server, "websocket", "--socket", kept, "--socket", gone);
        sockets.await("all-ready");
        awaitLive(server, kept, 1);
        awaitLive(server, gone, 1);

        redis.stop();
        await().alias("/health reports the broker down").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> get(server, "/health").statusCode() == 503);
        sockets.send(command("unsubscribe", gone, "unsubscribe-gone").put("socket", 1));
        sockets.await(l -> "unsubscribe-gone".equals(l.path("tag").asText()), "the unsubscribe ack");
        sockets.send(command("subscribe", late, "subscribe-late"));
        redis.start();

        JsonNode ack = sockets.await(l -> "subscribe-late".equals(l.path("tag").asText()), "the subscribe ack");
        if (!ack.path("ack").path("ok").asBoolean()) {
            // Refused only when the reconnect took longer than the command timeout: the page may simply ask again.
            assertThat(patternMode).as("pattern mode subscribes at once: %s", ack).isFalse();
            sockets.send(command("subscribe", late, "subscribe-late-again"));
            JsonNode again = sockets.await(l -> "subscribe-late-again".equals(l.path("tag").asText()), "the second ack");
            assertThat(again.path("ack").path("ok").asBoolean()).as("ack %s", again).isTrue();
        }
        await().alias("/health reports the broker back").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> get(server, "/health").statusCode() == 200);
        awaitLive(server, kept, 1);
        awaitLive(server, late, 1);
        assertThat(server.node().channelCounts()).containsOnlyKeys(kept, late);
        if (!patternMode) {
            await().alias("Redis no longer sends " + gone).atMost(WAIT).pollInterval(Duration.ofMillis(20))
                    .until(() -> numsub(prefix + gone) == 0);
        }

        // Socket 1 takes a new channel; published after "gone" on the same Redis connection, its event comes after
        // anything "gone" would (wrongly) bring.
        String last = unique("orders.last");
        sockets.send(command("subscribe", last, "subscribe-last").put("socket", 1));
        sockets.await(l -> "subscribe-last".equals(l.path("tag").asText()), "the ack of " + last);
        awaitLive(server, last, 1);

        redisPublish(prefix + gone, order(5));
        redisPublish(prefix + kept, order(6));
        redisPublish(prefix + late, order(7));
        redisPublish(prefix + last, order(8));
        sockets.await(socketEvent(0, "order.paid", late), "order 7 on " + late);
        sockets.await(socketEvent(0, "order.paid", kept), "order 6 on " + kept);
        sockets.await(socketEvent(1, "order.paid", last), "order 8 on " + last);
        assertThat(sockets.lines(type("event")).stream().map(l -> l.path("socket").asInt() + ":" + l.path("channel").asText()))
                .as("socket 1 left %s: nothing of it", gone)
                .containsExactlyInAnyOrder("0:" + kept, "0:" + late, "1:" + last);
        assertThat(sockets.lines(type("disconnect"))).isEmpty();
    }

    private void assertHealth(HeraldServer server, int status, String state, boolean brokerHealthy) {
        HttpResponse<String> response = get(server, "/health");
        assertThat(response.statusCode()).as("/health: %s", response.body()).isEqualTo(status);
        JsonNode body = json(response.body());
        assertThat(body.path("status").asText()).isEqualTo(state);
        assertThat(body.path("brokerHealthy").asBoolean()).isEqualTo(brokerHealthy);
        assertThat(body.path("broker").asText()).isEqualTo(redis.url());
    }

    private static String order(int id) {
        return "{\"event\":\"order.paid\",\"data\":{\"orderId\":" + id + ",\"socket\":null},\"socket\":null}";
    }

    private static ObjectNode command(String op, String channel, String tag) {
        return JsonNodeFactory.instance.objectNode().put("op", op).put("socket", 0).put("channel", channel).put("tag", tag);
    }

    /** Every client (socket.io-client socket 0, or Echo's listener) got order {@code id} on the channel. */
    private static void awaitOrder(List<NodeScript> clients, String channel, int id) {
        for (NodeScript client : clients) {
            client.await(l -> "event".equals(l.path("type").asText()) && channel.equals(l.path("channel").asText())
                    && l.path("data").path("orderId").asInt() == id, "order " + id + " on " + channel);
        }
    }
}
