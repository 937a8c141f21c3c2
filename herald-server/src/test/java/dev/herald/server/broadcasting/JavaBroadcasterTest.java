package dev.herald.server.broadcasting;

import static dev.herald.socketio.testing.NodeScript.type;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.broadcasting.BroadcastConfig;
import dev.herald.broadcasting.BroadcastDriver;
import dev.herald.broadcasting.BroadcastOptions;
import dev.herald.broadcasting.Broadcaster;
import dev.herald.broadcasting.Broadcasters;
import dev.herald.server.HeraldServer;
import dev.herald.server.ServerConfig;
import dev.herald.server.redis.RedisTestBase;
import dev.herald.socketio.testing.NodeScript;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java app side (herald-broadcasting) against the real server: a {@link dev.herald.broadcasting.ShouldBroadcast}
 * event broadcast with the {@code redis} driver (same prefix as Herald's {@code --redis-prefix}) reaches subscribed
 * pages through Redis; with the {@code memory} driver whose sink is the in-process server's {@code node()::publish}
 * (in-memory broker) it reaches them without Redis. {@code toOthers(socketId)} leaves that socket out, whether it is
 * a plain socket.io-client socket or laravel-echo's.
 */
class JavaBroadcasterTest extends RedisTestBase {

    static final String PREFIX = "laravel_database_";

    private HeraldServer redisServer;
    private HeraldServer memoryServer;
    private Broadcaster redisBroadcaster;
    private Broadcaster memoryBroadcaster;

    @BeforeAll
    void startServersAndBroadcasters() {
        redisServer = startServer(redisConfig(PREFIX, false));
        memoryServer = startServer(ServerConfig.defaults(API_KEY));
        redisBroadcaster = Broadcasters.create(BroadcastConfig.defaults()
                .withDriver(BroadcastDriver.REDIS)
                .withRedisUrl(redis.url())
                .withRedisPrefix(PREFIX));
        memoryBroadcaster = Broadcasters.memory(memoryServer.node()::publish);
    }

    @AfterAll
    void closeBroadcasters() {
        try {
            if (redisBroadcaster != null) redisBroadcaster.close();
        } finally {
            if (memoryBroadcaster != null) memoryBroadcaster.close();
        }
    }

    @ParameterizedTest(name = "{0} driver")
    @ValueSource(strings = {"redis", "memory"})
    void shouldBroadcastEventReachesSubscribersAndToOthersSkipsTheSender(String driver) {
        HeraldServer server = driver.equals("redis") ? redisServer : memoryServer;
        Broadcaster broadcaster = driver.equals("redis") ? redisBroadcaster : memoryBroadcaster;
        assertThat(broadcaster.driver()).isEqualTo(driver);
        String channel = unique("orders");

        NodeScript sockets = socketIoClient(server, "websocket", "--socket", channel, "--socket", channel);
        NodeScript echo = echoClient(server, "default", channel, ".order.paid");
        JsonNode allReady = sockets.await("all-ready");
        String socket0 = allReady.path("ids").path(0).asText();
        String socket1 = allReady.path("ids").path(1).asText();
        String echoId = echo.await("connect").path("id").asText();
        assertThat(List.of(socket0, socket1, echoId)).doesNotContain("").doesNotHaveDuplicates();
        awaitLive(server, channel, 3);

        broadcaster.broadcast(new OrderPaid(42, channel));
        broadcaster.broadcast(new OrderPaid(43, channel), BroadcastOptions.toOthers(socket0));
        broadcaster.broadcast(new OrderPaid(44, channel), BroadcastOptions.toOthers(echoId));
        broadcaster.broadcast(new OrderPaid(45, channel)); // the last: once it arrived, all before it did

        String d42 = "{\"orderId\":42,\"socket\":null}";
        String d43 = "{\"orderId\":43,\"socket\":\"" + socket0 + "\"}";
        String d44 = "{\"orderId\":44,\"socket\":\"" + echoId + "\"}";
        String d45 = "{\"orderId\":45,\"socket\":null}";
        assertThat(socketData(sockets, 0, channel)).as("socket 0 (%s): 43 left it out", socket0).containsExactly(d42, d44, d45);
        assertThat(socketData(sockets, 1, channel)).as("socket 1 (%s) gets all", socket1).containsExactly(d42, d43, d44, d45);
        List<String> echoCalls = echo.awaitCount(echoEvent(channel), 3, "three listener calls").stream()
                .map(l -> l.path("raw").asText()).toList();
        assertThat(echoCalls).as("laravel-echo (%s): 44 left it out", echoId).containsExactly(d42, d43, d45);
        assertThat(echo.lines(type("event"))).hasSize(3);
        assertThat(sockets.lines(type("event"))).as("every event the sockets got").hasSize(7);
    }

    /** Waits until the socket got order 45 (the last) on the channel; the data of its order.paid events, in order. */
    private static List<String> socketData(NodeScript sockets, int socket, String channel) {
        sockets.await(l -> socketEvent(socket, "order.paid", channel).test(l) && l.path("data").path("orderId").asInt() == 45,
                "order 45 on socket " + socket);
        return sockets.lines(socketEvent(socket, "order.paid", channel)).stream().map(l -> l.path("data").toString()).toList();
    }
}
