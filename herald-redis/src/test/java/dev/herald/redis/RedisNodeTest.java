package dev.herald.redis;

import dev.herald.core.DeliverySink;
import dev.herald.core.Node;
import dev.herald.core.Subscriber;
import dev.herald.redis.testing.RedisServer;
import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.herald.redis.RedisBrokerTest.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** herald-core's Node on a RedisBroker: redis-cli PUBLISH → Redis → broker → node → the subscribers' sink. */
class RedisNodeTest {

    record Delivery(Publication publication, List<String> targets) {}

    record TestSubscriber(String id, DeliverySink sink) implements Subscriber {}

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final DeliverySink sink = (publication, targets) ->
            deliveries.add(new Delivery(publication, targets.stream().map(Subscriber::id).sorted().toList()));
    private RedisServer redis;
    private Node node;

    @BeforeEach
    void start() {
        redis = new RedisServer().start();
    }

    @AfterEach
    void stop() {
        try {
            if (node != null) node.close();
        } finally {
            redis.close();
        }
    }

    @Test
    void laravelPublishesReachTheNodesSubscribers() {
        node = new Node(new RedisBroker(RedisBrokerConfig.of(redis.url()).withPrefix("laravel_database_"))).start();
        Subscriber alice = new TestSubscriber("alice.1", sink);
        Subscriber bob = new TestSubscriber("bob.2", sink);
        ChannelName channel = ChannelName.of("private-App.Models.User.7");
        assertThat(node.subscribe(channel, alice).toCompletableFuture()).succeedsWithin(WAIT);
        assertThat(node.subscribe(channel, bob).toCompletableFuture()).succeedsWithin(WAIT);
        assertThat(numsub("laravel_database_private-App.Models.User.7")).isEqualTo(1); // one SUBSCRIBE per node

        laravelPublish("laravel_database_private-App.Models.User.7", "{\"event\":\"wechat.login\",\"data\":{\"token\":\"t1\",\"socket\":null},\"socket\":null}");
        // toOthers(): the page that caused the event does not get it back.
        laravelPublish("laravel_database_private-App.Models.User.7", "{\"event\":\"wechat.login\",\"data\":{\"token\":\"t2\",\"socket\":null},\"socket\":\"alice.1\"}");
        laravelPublish("laravel_database_private-App.Models.User.7", "definitely not json");

        await().atMost(WAIT).until(() -> deliveries.size() == 2 && node.stats().malformedTotal() == 1);
        assertThat(deliveries.get(0).targets()).containsExactly("alice.1", "bob.2");
        assertThat(deliveries.get(0).publication().data()).isEqualTo("{\"token\":\"t1\",\"socket\":null}");
        assertThat(deliveries.get(0).publication().event()).isEqualTo("wechat.login");
        assertThat(deliveries.get(1).targets()).containsExactly("bob.2");
        assertThat(deliveries.get(1).publication().socket()).isEqualTo("alice.1");
        assertThat(node.stats().malformed()).containsEntry("not-json", 1L);
        assertThat(node.stats().received()).isEqualTo(2);
        assertThat(node.stats().delivered()).isEqualTo(3);

        // The node's own publish goes through Redis and comes back.
        Publication own = new Publication(channel, "paid", "{\"order\":1}", null);
        assertThat(node.publish(own).toCompletableFuture()).succeedsWithin(WAIT);
        await().atMost(WAIT).until(() -> deliveries.size() == 3);
        assertThat(deliveries.get(2)).isEqualTo(new Delivery(own, List.of("alice.1", "bob.2")));

        // The last subscriber leaving unsubscribes the node from Redis.
        node.disconnect(alice);
        assertThat(numsub("laravel_database_private-App.Models.User.7")).isEqualTo(1);
        node.unsubscribe(channel, bob);
        await().atMost(WAIT).until(() -> numsub("laravel_database_private-App.Models.User.7") == 0);
        assertThat(node.broker().isHealthy()).isTrue();
    }

    @Test
    void patternModeFeedsTheFirehose() {
        node = new Node(new RedisBroker(RedisBrokerConfig.of(redis.url()).withPrefix("laravel-database-")
                .withSubscribeMode(SubscribeMode.PATTERN))).start();
        List<Publication> firehose = new CopyOnWriteArrayList<>();
        node.addFirehose(firehose::add);
        laravelPublish("laravel-database-orders.1", "{\"event\":\"a\",\"data\":[],\"socket\":null}");
        laravelPublish("laravel-database-orders.2", "{\"event\":\"b\",\"data\":\"text\",\"socket\":null}");
        await().atMost(WAIT).until(() -> firehose.size() == 2);
        assertThat(firehose).extracting(p -> p.channel().value()).containsExactly("orders.1", "orders.2");
        assertThat(firehose).extracting(Publication::data).containsExactly("[]", "\"text\"");
        assertThat(deliveries).isEmpty();
    }

    private void laravelPublish(String redisChannel, String json) {
        redis.cliWithInput(json.getBytes(StandardCharsets.UTF_8), "PUBLISH", redisChannel);
    }

    private int numsub(String channel) {
        String[] lines = redis.cli("PUBSUB", "NUMSUB", channel).strip().split("\\R");
        return Integer.parseInt(lines[lines.length - 1].strip());
    }
}
