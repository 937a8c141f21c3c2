package dev.herald.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden payloads: each expected string is what Laravel's RedisBroadcaster (PHP json_encode) publishes. */
class LaravelPayloadTest {

    private static final ChannelName ORDERS = ChannelName.of("orders.1");

    @Test
    void laravelDefaultEventNameAndNullSocket() {
        Publication p = new Publication(ORDERS, "App\\Events\\OrderShipped", "{\"id\":1,\"socket\":null}", null);

        String expected = "{\"event\":\"App\\\\Events\\\\OrderShipped\",\"data\":{\"id\":1,\"socket\":null},\"socket\":null}";
        assertThat(LaravelPayload.encodeToString(p)).isEqualTo(expected);
        assertThat(LaravelPayload.encode(p)).isEqualTo(expected.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void literalGoldenBytes() {
        // the same, spelled as the raw bytes Redis MONITOR shows
        Publication p = new Publication(ORDERS, "App\\Events\\OrderShipped", "{\"id\":1,\"socket\":null}", null);

        assertThat(new String(LaravelPayload.encode(p), StandardCharsets.UTF_8))
                .isEqualTo("""
                        {"event":"App\\\\Events\\\\OrderShipped","data":{"id":1,"socket":null},"socket":null}""");
    }

    @Test
    void socketIdIsAString() {
        Publication p = new Publication(ORDERS, "wechat.login", "{\"token\":\"t\",\"socket\":null}", "1234.5678");

        assertThat(LaravelPayload.encodeToString(p))
                .isEqualTo("{\"event\":\"wechat.login\",\"data\":{\"token\":\"t\",\"socket\":null},\"socket\":\"1234.5678\"}");
    }

    @Test
    void socketIoStyleSocketIdIsEscapedLikePhp() {
        Publication p = new Publication(ORDERS, "e", "{}", "ab/cd\"ef");

        assertThat(LaravelPayload.encodeToString(p)).isEqualTo("{\"event\":\"e\",\"data\":{},\"socket\":\"ab\\/cd\\\"ef\"}");
    }

    @Test
    void emptySocketIsNull() {
        assertThat(LaravelPayload.encodeToString(new Publication(ORDERS, "e", "{}", "")))
                .isEqualTo("{\"event\":\"e\",\"data\":{},\"socket\":null}");
    }

    @Test
    void eventIsEscapedLikePhp() {
        // php: json_encode(["event"=>"order/shipped","data"=>["name"=>"é"],"socket"=>"1234.5678"])
        Publication p = new Publication(ORDERS, "order/shipped", "{\"name\":\"\\u00e9\"}", "1234.5678");

        assertThat(LaravelPayload.encodeToString(p))
                .isEqualTo("{\"event\":\"order\\/shipped\",\"data\":{\"name\":\"\\u00e9\"},\"socket\":\"1234.5678\"}");
    }

    @Test
    void nonAsciiEventIsEscaped() {
        Publication p = new Publication(ORDERS, "caf\u00e9 \uD83D\uDE00", "{}", null);

        assertThat(LaravelPayload.encodeToString(p))
                .isEqualTo("{\"event\":\"caf\\u00e9 \\ud83d\\ude00\",\"data\":{},\"socket\":null}");
    }

    @Test
    void keyOrderIsEventDataSocket() {
        String json = LaravelPayload.encodeToString(new Publication(ORDERS, "e", "{\"socket\":\"x\",\"event\":\"y\"}", "s"));

        assertThat(json).startsWith("{\"event\":\"e\",\"data\":{").endsWith("},\"socket\":\"s\"}");
    }

    @Test
    void dataIsKeptVerbatim() {
        // whitespace, key order, number spelling and raw (unescaped) non-ASCII are the publisher's business
        String data = "{ \"b\" : 1.50 , \"a\":[ 1,2 ],\"name\":\"caf\u00e9\", \"url\":\"a/b\" }";
        Publication p = new Publication(ORDERS, "e", data, null);

        String json = LaravelPayload.encodeToString(p);
        assertThat(json).isEqualTo("{\"event\":\"e\",\"data\":" + data + ",\"socket\":null}");
        assertThat(LaravelPayload.encode(p)).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        assertThat(LaravelPayload.encode(p)).contains((byte) 0xc3, (byte) 0xa9); // é as UTF-8, not escaped
    }

    @Test
    void nonObjectDataIsKeptVerbatim() {
        assertThat(LaravelPayload.encodeToString(new Publication(ORDERS, "e", "[1,2]", null)))
                .isEqualTo("{\"event\":\"e\",\"data\":[1,2],\"socket\":null}");
        assertThat(LaravelPayload.encodeToString(new Publication(ORDERS, "e", "null", null)))
                .isEqualTo("{\"event\":\"e\",\"data\":null,\"socket\":null}");
        assertThat(LaravelPayload.encodeToString(new Publication(ORDERS, "e", "\"s\"", null)))
                .isEqualTo("{\"event\":\"e\",\"data\":\"s\",\"socket\":null}");
    }

    @Test
    void channelIsNotInThePayload() {
        Publication p = new Publication(ChannelName.of("private-App.Models.User.7"), "e", "{}", null);

        assertThat(LaravelPayload.encodeToString(p)).doesNotContain("App.Models").doesNotContain("private-");
    }
}
