package dev.herald.server.redis;

import static dev.herald.socketio.testing.NodeScript.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.HeraldServer;
import dev.herald.server.relay.EventFormat;
import dev.herald.socketio.testing.NodeScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's pages ({@code clients/relay/tutorial-client.mjs}: {@code socket.on(channel + ':wechat.login', ...)})
 * on Redis, with what Laravel publishes ({@code redis-cli PUBLISH laravel_database_<channel> ...}):
 * <ul>
 *   <li>{@code --event-format seed --legacy-broadcast-all}: pattern mode is forced (every channel must reach this
 *       node), and the unchanged page, which never subscribes, gets {@code <channel>:wechat.login};</li>
 *   <li>{@code --event-format seed} alone (per-channel subscription): the page plus its one new line
 *       {@code socket.emit('subscribe', {channel})} gets it, and a socket subscribed elsewhere does not.</li>
 * </ul>
 */
class RedisSeedFormatTest extends RedisTestBase {

    static final String PREFIX = "laravel_database_";
    static final List<String> TRANSPORTS = List.of("websocket", "polling", "default");
    /**
     * The page closes its socket and leaves as soon as it logged in; over long-polling its goodbye is usually not
     * sent before it is gone, and then only the heartbeat ends the session (as with the Node socket.io server: after
     * pingInterval + pingTimeout, 45 s by default). A short heartbeat lets the after-test check see it gone quickly.
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(2);

    @Test
    void legacyBroadcastAllForcesPatternModeAndReachesPagesThatNeverSubscribe() {
        long patternsBefore = numpat();
        HeraldServer server = startServer(redisConfig(PREFIX, false).withPing(HEARTBEAT, HEARTBEAT).withEventFormat(EventFormat.SEED).withLegacyBroadcastAll(true));
        assertThat(numpat()).as("PSUBSCRIBE %s* although per-channel was configured", PREFIX).isEqualTo(patternsBefore + 1);

        List<String> channels = new ArrayList<>();
        List<NodeScript> pages = new ArrayList<>();
        for (String transports : TRANSPORTS) {
            String channel = unique("login." + transports);
            channels.add(channel);
            pages.add(tutorialClient(server, channel, "--transports", transports));
        }
        for (NodeScript page : pages) {
            String id = page.await("connect").path("id").asText();
            await().alias("socket " + id + " on the server").atMost(WAIT).pollInterval(Duration.ofMillis(10))
                    .until(() -> server.socketIo().namespace("/").socket(id) != null);
        }
        assertThat(server.node().channelCounts()).as("nobody subscribed").isEmpty();

        for (int i = 0; i < pages.size(); i++) redisPublish(PREFIX + channels.get(i), login(channels.get(i)));
        for (int i = 0; i < pages.size(); i++) assertLoggedIn(pages.get(i), channels.get(i));
    }

    @Test
    void perChannelSeedFormatReachesThePageThatSubscribes() {
        HeraldServer server = startServer(redisConfig(PREFIX, false).withPing(HEARTBEAT, HEARTBEAT).withEventFormat(EventFormat.SEED));
        List<String> channels = new ArrayList<>();
        List<NodeScript> pages = new ArrayList<>();
        for (String transports : TRANSPORTS) {
            String channel = unique("login." + transports);
            channels.add(channel);
            pages.add(tutorialClient(server, channel, "--subscribe", "--transports", transports));
        }
        String elsewhere = unique("login.elsewhere");
        NodeScript bystander = socketIoClient(server, "websocket", "--seed", "--socket", elsewhere);
        bystander.await("all-ready");
        for (String channel : channels) awaitLive(server, channel, 1);
        awaitLive(server, elsewhere, 1);

        for (String channel : channels) redisPublish(PREFIX + channel, login(channel));
        redisPublish(PREFIX + elsewhere, login(elsewhere)); // after the others, on the same Redis connection
        for (int i = 0; i < pages.size(); i++) assertLoggedIn(pages.get(i), channels.get(i));

        JsonNode own = bystander.await(type("event"), "its own login");
        assertThat(own.path("event").asText()).isEqualTo(elsewhere + ":wechat.login");
        assertThat(own.path("args").toString()).isEqualTo("[" + data(elsewhere) + "]");
        assertThat(bystander.lines(type("event"))).as("a socket subscribed elsewhere gets no other page's token").hasSize(1);
    }

    /** What Laravel publishes for the tutorial's login event ({@code broadcastAs() = 'wechat.login'}). */
    private static String login(String channel) {
        return "{\"event\":\"wechat.login\",\"data\":" + data(channel) + ",\"socket\":null}";
    }

    private static String data(String channel) {
        return "{\"token\":\"token-for-" + channel + "\",\"socket\":null}";
    }

    /** The page's listener ran with the data as published, stored the token and redirected. */
    private static void assertLoggedIn(NodeScript page, String channel) {
        JsonNode login = page.await("login");
        assertThat(login.path("data").toString()).as("%s: data", page).isEqualTo(data(channel));
        JsonNode any = page.await(l -> "any".equals(l.path("type").asText()) && l.path("event").asText().startsWith(channel + ":"),
                "the event of its channel");
        assertThat(any.path("event").asText()).isEqualTo(channel + ":wechat.login");
        assertThat(any.path("args").toString()).isEqualTo("[" + data(channel) + "]");
        assertThat(page.await("token").path("token").asText()).isEqualTo("token-for-" + channel);
        assertThat(page.await("redirect").path("to").asText()).isEqualTo("/home");
        assertThat(page.awaitExit()).as("%s exit code", page).isZero();
    }
}
