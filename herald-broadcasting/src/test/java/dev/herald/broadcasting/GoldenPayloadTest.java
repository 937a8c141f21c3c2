package dev.herald.broadcasting;

import dev.herald.broadcasting.events.OrderPaid;
import dev.herald.broadcasting.events.OrderShipped;
import dev.herald.wire.ChannelKind;
import dev.herald.wire.Publication;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The bytes published for an event equal those of Laravel's RedisBroadcaster for the same event
 * ({@code json_encode(['event' => $name, 'data' => $payload, 'socket' => Arr::pull($payload, 'socket')])}, the
 * payload from {@code BroadcastEvent::getPayloadFromEvent}; protocols.md §1.1). The cases follow Laravel's
 * {@code tests/Broadcasting/BroadcastEventTest.php} and {@code RedisBroadcasterTest.php}; the expected strings were
 * checked against PHP 8.2's {@code json_encode}.
 */
class GoldenPayloadTest {

    private final BroadcastEncoder encoder = new BroadcastEncoder();

    private List<String> payloads(ShouldBroadcast event, BroadcastOptions options) {
        return encoder.encode(event, options).stream()
                .map(p -> new String(BroadcastEncoder.payload(p), StandardCharsets.UTF_8)).toList();
    }

    private String payload(ShouldBroadcast event) {
        List<String> all = payloads(event, BroadcastOptions.none());
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void theBriefsExample() {
        assertThat(payload(new OrderPaid(42)))
                .isEqualTo("{\"event\":\"order.paid\",\"data\":{\"orderId\":42,\"socket\":null},\"socket\":null}");
    }

    @Test
    void defaultNameIsTheFullyQualifiedClassNameAndDataThePublicFields() {
        // Laravel: App\Events\OrderShipped, its public properties (+ socket from InteractsWithSockets)
        assertThat(payload(new OrderShipped(7, "https://track.example/7?x=1")))
                .isEqualTo("{\"event\":\"dev.herald.broadcasting.events.OrderShipped\",\"data\":{\"orderId\":7,"
                        + "\"trackingUrl\":\"https:\\/\\/track.example\\/7?x=1\",\"socket\":null},\"socket\":null}");
    }

    /** BroadcastEventTest::testBasicEventBroadcastParameterFormatting (public properties, private ones left out). */
    static class TestBroadcastEvent implements ShouldBroadcast {
        public String firstName = "Taylor";
        public String lastName = "Otwell";
        public Map<String, String> collection = Map.of("foo", "bar");
        @SuppressWarnings("unused") private String title = "Developer";

        @Override
        public List<Channel> broadcastOn() { return List.of(new Channel("test-channel")); }
    }

    /** BroadcastEventTest::testManualParameterSpecification. */
    static class TestBroadcastEventWithManualData extends TestBroadcastEvent {
        @Override
        public Object broadcastWith() { return Map.of("name", "Taylor"); }
    }

    /** BroadcastEventTest::testBroadcastWithHandlesEloquentResource: any serializable object. */
    static class TestBroadcastEventWithResource extends TestBroadcastEvent {
        record TestUser(int id, String name) {}

        @Override
        public Object broadcastWith() { return new TestUser(1, "Mohamed"); }
    }

    @Test
    void laravelsBroadcastEventTests() {
        String prefix = "{\"event\":\"dev.herald.broadcasting.GoldenPayloadTest$";
        assertThat(payload(new TestBroadcastEvent())).isEqualTo(prefix + "TestBroadcastEvent\",\"data\":"
                + "{\"firstName\":\"Taylor\",\"lastName\":\"Otwell\",\"collection\":{\"foo\":\"bar\"},\"socket\":null},"
                + "\"socket\":null}");
        assertThat(payload(new TestBroadcastEventWithManualData())).isEqualTo(prefix
                + "TestBroadcastEventWithManualData\",\"data\":{\"name\":\"Taylor\",\"socket\":null},\"socket\":null}");
        assertThat(payload(new TestBroadcastEventWithResource())).isEqualTo(prefix
                + "TestBroadcastEventWithResource\",\"data\":{\"id\":1,\"name\":\"Mohamed\",\"socket\":null},"
                + "\"socket\":null}");
    }

    record Named(String broadcastName) implements ShouldBroadcast {
        @Override
        public List<Channel> broadcastOn() { return List.of(new Channel("news")); }

        @Override
        public String broadcastAs() { return broadcastName; }

        @Override
        public Object broadcastWith() { return Map.of(); }
    }

    @Test
    void broadcastAsIsEscapedLikePhp() {
        // a PHP class name as event name: backslashes doubled, as in Laravel's payloads
        assertThat(payload(new Named("App\\Events\\OrderShipped")))
                .isEqualTo("{\"event\":\"App\\\\Events\\\\OrderShipped\",\"data\":{\"socket\":null},\"socket\":null}");
        assertThat(payload(new Named("wechat/login.é")))
                .startsWith("{\"event\":\"wechat\\/login.\\u00e9\",");
        assertThatThrownBy(() -> payload(new Named(""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broadcastAs()");
        assertThatThrownBy(() -> payload(new Named(null))).isInstanceOf(IllegalArgumentException.class);
    }

    record Rich(Map<String, Object> body) implements ShouldBroadcast {
        @Override
        public List<Channel> broadcastOn() { return List.of(new Channel("rich")); }

        @Override
        public String broadcastAs() { return "rich"; }

        @Override
        public Object broadcastWith() { return body; }
    }

    @Test
    void nestedObjectsArraysNullsBooleansNumbersAndUnicode() {
        record Item(String name, double price, boolean gift) {}
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", "a/b+c==");
        body.put("user", Map.of("name", "李雷 🚀"));
        body.put("items", List.of(new Item("T-shirt", 19.9, false), new Item("Mug", 8.0, true)));
        body.put("tags", List.of());
        body.put("extra", Map.of());
        body.put("note", null);
        body.put("count", 3);
        body.put("ratio", 0.5);
        body.put("big", 1e20);
        assertThat(payload(new Rich(body))).isEqualTo("{\"event\":\"rich\",\"data\":{\"token\":\"a\\/b+c==\","
                + "\"user\":{\"name\":\"\\u674e\\u96f7 \\ud83d\\ude80\"},\"items\":[{\"name\":\"T-shirt\",\"price\":19.9,"
                + "\"gift\":false},{\"name\":\"Mug\",\"price\":8,\"gift\":true}],\"tags\":[],\"extra\":[],\"note\":null,"
                + "\"count\":3,\"ratio\":0.5,\"big\":1.0e+20,\"socket\":null},\"socket\":null}");
    }

    @Test
    void socketMergesLikeArrayMerge() {
        // array_merge(['socket' => 'a', 'n' => 1], ['socket' => 'b']) keeps the key's place
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("socket", "spoofed");
        body.put("n", 1);
        assertThat(payloads(new Rich(body), BroadcastOptions.toOthers("b")))
                .containsExactly("{\"event\":\"rich\",\"data\":{\"socket\":\"b\",\"n\":1},\"socket\":\"b\"}");
        // array_merge(['x', 'y'], ['socket' => null]): list elements get keys "0", "1"
        record Listy() implements ShouldBroadcast {
            public List<Channel> broadcastOn() { return List.of(new Channel("l")); }
            public String broadcastAs() { return "l"; }
            public Object broadcastWith() { return List.of("x", "y"); }
        }
        assertThat(payload(new Listy()))
                .isEqualTo("{\"event\":\"l\",\"data\":{\"0\":\"x\",\"1\":\"y\",\"socket\":null},\"socket\":null}");
        record Scalar() implements ShouldBroadcast {
            public List<Channel> broadcastOn() { return List.of(new Channel("l")); }
            public Object broadcastWith() { return "just a string"; }
        }
        assertThatThrownBy(() -> payload(new Scalar())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an object");
        record NullData(int n) implements ShouldBroadcast {
            public List<Channel> broadcastOn() { return List.of(new Channel("l")); }
            public String broadcastAs() { return "n"; }
            public Object broadcastWith() { return null; } // Laravel: falls back to the public properties
        }
        assertThat(payload(new NullData(5))).isEqualTo("{\"event\":\"n\",\"data\":{\"n\":5,\"socket\":null},\"socket\":null}");
    }

    @Test
    void toOthersPutsTheSocketIdInBothPlaces() {
        assertThat(payloads(new OrderPaid(42), BroadcastOptions.toOthers("Jx1qL3v7aYqUoX2DAAAB"))).containsExactly(
                "{\"event\":\"order.paid\",\"data\":{\"orderId\":42,\"socket\":\"Jx1qL3v7aYqUoX2DAAAB\"},"
                        + "\"socket\":\"Jx1qL3v7aYqUoX2DAAAB\"}");
        // no X-Socket-ID header: everyone, as Laravel
        assertThat(payloads(new OrderPaid(42), BroadcastOptions.toOthers(null)))
                .containsExactly(payload(new OrderPaid(42)));
        assertThat(payloads(new OrderPaid(42), BroadcastOptions.toOthers(" ")))
                .containsExactly(payload(new OrderPaid(42)));
    }

    record MultiChannel(String token) implements ShouldBroadcast {
        @Override
        public List<Channel> broadcastOn() {
            return List.of(new Channel("login.abc"), new PrivateChannel("App.Models.User.7"),
                    new PresenceChannel("chat.1"));
        }

        @Override
        public String broadcastAs() { return "wechat.login"; }
    }

    @Test
    void oneIdenticalPayloadPerChannelWithLaravelsPrefixes() {
        List<Publication> publications = encoder.encode(new MultiChannel("t0k"), BroadcastOptions.none());
        assertThat(publications).extracting(p -> p.channel().value(), p -> p.channel().kind()).containsExactly(
                tuple("login.abc", ChannelKind.PUBLIC),
                tuple("private-App.Models.User.7", ChannelKind.PRIVATE),
                tuple("presence-chat.1", ChannelKind.PRESENCE));
        assertThat(publications).extracting(p -> new String(BroadcastEncoder.payload(p), StandardCharsets.UTF_8))
                .containsOnly("{\"event\":\"wechat.login\",\"data\":{\"token\":\"t0k\",\"socket\":null},\"socket\":null}")
                .hasSize(3);
        assertThat(publications).extracting(Publication::data).containsOnly("{\"token\":\"t0k\",\"socket\":null}");
    }

    @Test
    void nothingIsPublishedWithoutChannelsOrWhenBroadcastWhenIsFalse() {
        record Quiet(boolean when, List<Channel> channels) implements ShouldBroadcast {
            public List<Channel> broadcastOn() { return channels; }
            public boolean broadcastWhen() { return when; }
        }
        assertThat(encoder.encode(new Quiet(false, List.of(new Channel("a"))), BroadcastOptions.none())).isEmpty();
        assertThat(encoder.encode(new Quiet(true, List.of()), BroadcastOptions.none())).isEmpty();
        assertThat(encoder.encode(new Quiet(true, null), BroadcastOptions.none())).isEmpty();
        assertThat(encoder.encode(new Quiet(true, List.of(new Channel("a"))), BroadcastOptions.none())).hasSize(1);
    }

    static class Base implements ShouldBroadcast {
        public String inherited = "base";
        public String shadowed = "base";
        @Override
        public List<Channel> broadcastOn() { return List.of(new Channel("h")); }
        @Override
        public String broadcastAs() { return "h"; }
    }

    static class Derived extends Base {
        public static int counter = 1;
        public String own = "derived";
        public String shadowed = "derived";
        public transient String transientToo = "t";
    }

    @Test
    void publicFieldsOfTheClassThenItsSuperclasses() {
        assertThat(payload(new Derived())).isEqualTo("{\"event\":\"h\",\"data\":{\"own\":\"derived\",\"shadowed\":"
                + "\"derived\",\"transientToo\":\"t\",\"inherited\":\"base\",\"socket\":null},\"socket\":null}");
    }

    @Test
    void aChannelInTheDataIsWrittenAsPhpWritesALaravelChannel() {
        record Moved(Channel from, PrivateChannel to) implements ShouldBroadcast {
            public List<Channel> broadcastOn() { return List.of(to); }
            public String broadcastAs() { return "moved"; }
        }
        // php > echo json_encode(['from' => new Channel('a'), 'to' => new PrivateChannel('b')]);
        assertThat(payload(new Moved(new Channel("a"), new PrivateChannel("b")))).isEqualTo("{\"event\":\"moved\","
                + "\"data\":{\"from\":{\"name\":\"a\"},\"to\":{\"name\":\"private-b\"},\"socket\":null},"
                + "\"socket\":null}");
    }

    @Test
    void unencodableDataFailsWithTheEventsName() {
        assertThatThrownBy(() -> payload(new Rich(Map.of("x", Double.NaN))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GoldenPayloadTest$Rich").hasMessageContaining("NaN");
        assertThatThrownBy(() -> payload(new Rich(Map.of("x", "\ud800"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
    }
}
