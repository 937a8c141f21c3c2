package dev.herald.core;

import dev.herald.wire.ChannelName;
import dev.herald.wire.LaravelPayload;
import dev.herald.wire.Publication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class LaravelMessageParserTest {

    private final LaravelMessageParser parser = new LaravelMessageParser(1 << 20);

    private Publication parse(String channel, String message) throws MalformedMessageException {
        return parser.parse(channel, message.getBytes(StandardCharsets.UTF_8));
    }

    private Publication parse(String message) throws MalformedMessageException {
        return parse("orders.1", message);
    }

    private MalformedMessageException malformed(String channel, byte[] message) {
        MalformedMessageException e = catchThrowableOfType(MalformedMessageException.class,
                () -> parser.parse(channel, message));
        assertThat(e).as("expected a MalformedMessageException for %s", new String(message, StandardCharsets.UTF_8))
                .isNotNull();
        assertThat(e.getMessage()).as("the detail says what was wrong").isNotBlank();
        return e;
    }

    private MalformedMessageException malformed(String message) {
        return malformed("orders.1", message.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ valid messages

    @Test
    void laravelsTypicalMessage() throws Exception {
        Publication p = parse("orders.1",
                "{\"event\":\"App\\\\Events\\\\OrderShipped\",\"data\":{\"id\":1,\"socket\":null},\"socket\":null}");

        assertThat(p).isEqualTo(new Publication(ChannelName.of("orders.1"), "App\\Events\\OrderShipped",
                "{\"id\":1,\"socket\":null}", null));
    }

    @Test
    void toOthersSocketId() throws Exception {
        Publication p = parse("private-App.Models.User.7",
                "{\"event\":\"wechat.login\",\"data\":{\"token\":\"abc\",\"socket\":\"x1\"},\"socket\":\"Fq3_ab-CD\"}");

        assertThat(p.channel()).isEqualTo(ChannelName.of("private-App.Models.User.7"));
        assertThat(p.event()).isEqualTo("wechat.login");
        assertThat(p.data()).isEqualTo("{\"token\":\"abc\",\"socket\":\"x1\"}");
        assertThat(p.socket()).isEqualTo("Fq3_ab-CD");
    }

    @Test
    void nestedData() throws Exception {
        String data = "{\"order\":{\"id\":42,\"lines\":[{\"sku\":\"A\",\"qty\":2},{\"sku\":\"B\",\"tags\":[[],{}]}]},"
                + "\"user\":{\"name\":\"Ann\",\"roles\":[\"admin\"]},\"socket\":null}";

        assertThat(parse("{\"event\":\"e\",\"data\":" + data + ",\"socket\":null}").data()).isEqualTo(data);
    }

    @Test
    void whitespaceInsideDataIsKeptExactly() throws Exception {
        Publication p = parse("{\"event\":\"e\",\"data\": { \"a\" : [1, 2] } ,\"socket\":null}");

        assertThat(p.data()).isEqualTo("{ \"a\" : [1, 2] }");
    }

    @Test
    void prettyPrintedMessage() throws Exception {
        String message = """
                {
                    "event": "e",
                    "data": {
                        "a": [
                            1,
                            2
                        ]
                    },
                    "socket": null
                }
                """;

        assertThat(parse(message).data()).isEqualTo("{\n        \"a\": [\n            1,\n            2\n        ]\n    }");
    }

    static Stream<Arguments> dataValues() {
        return Stream.of(
                arguments("object", "{\"a\":1}"),
                arguments("empty object", "{}"),
                arguments("array", "[1,2,3]"),
                arguments("array with spaces", "[ 1 , \"x\" , null ]"),
                arguments("empty array", "[]"),
                arguments("string", "\"text\""),
                arguments("empty string", "\"\""),
                arguments("string with escapes", "\"a\\\"b\\\\c\\/d\\u00e9\\n\""),
                arguments("integer", "42"),
                arguments("zero", "0"),
                arguments("negative decimal with exponent", "-1.5e3"),
                arguments("big integer", "123456789012345678901234567890"),
                arguments("decimal", "3.14159"),
                arguments("null", "null"),
                arguments("true", "true"),
                arguments("false", "false"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("dataValues")
    void dataOfAnyKindIsSlicedExactly(String kind, String data) throws Exception {
        // in the middle, before a comma
        assertThat(parse("{\"event\":\"e\",\"data\":" + data + ",\"socket\":null}").data()).isEqualTo(data);
        // followed by whitespace before the comma
        assertThat(parse("{\"event\":\"e\",\"data\":" + data + " \n,\"socket\":null}").data()).isEqualTo(data);
        // the last key, right before the closing brace
        assertThat(parse("{\"event\":\"e\",\"socket\":null,\"data\":" + data + "}").data()).isEqualTo(data);
        // the last key, whitespace around
        assertThat(parse("{\"event\":\"e\",\"data\":\t" + data + "\t}").data()).isEqualTo(data);
        // the first key
        assertThat(parse("{\"data\":" + data + ",\"event\":\"e\"}").data()).isEqualTo(data);
    }

    @Test
    void unicodeBeforeAndInsideDataUsesByteOffsets() throws Exception {
        // multi-byte characters before data shift byte offsets away from char offsets
        String data = "{\"name\":\"Zo\u00eb \u4e2d\u6587 \uD83D\uDE00\",\"city\":\"K\u00f8benhavn\"}";
        String message = "{\"event\":\"caf\u00e9.\u00fcber\",\"x\":\"\u20ac\u20ac\u20ac\uD83D\uDE00\",\"data\":" + data
                + ",\"socket\":\"s\u00e9\"}";

        Publication p = parse(message);

        assertThat(p.event()).isEqualTo("caf\u00e9.\u00fcber");
        assertThat(p.data()).isEqualTo(data);
        assertThat(p.socket()).isEqualTo("s\u00e9");
    }

    @Test
    void unicodeScalarDataAfterMultiByteText() throws Exception {
        String message = "{\"event\":\"\u00e9\u00e9\u00e9\u00e9\",\"data\":\"\u4e2d\uD83D\uDE00\",\"socket\":null}";

        assertThat(parse(message).data()).isEqualTo("\"\u4e2d\uD83D\uDE00\"");
        assertThat(parse("{\"event\":\"\u00e9\u00e9\u00e9\u00e9\",\"data\":12345}").data()).isEqualTo("12345");
        assertThat(parse("{\"event\":\"\u00e9\u00e9\u00e9\u00e9\",\"data\":true}").data()).isEqualTo("true");
    }

    @Test
    void escapedStringsInDataStayEscaped() throws Exception {
        // PHP's json_encode output: slashes and non-ASCII escaped; they reach the browser as the app sent them
        String data = "{\"url\":\"https:\\/\\/example.com\\/o\\/1\",\"name\":\"Zo\\u00eb\",\"smile\":\"\\ud83d\\ude00\","
                + "\"quote\":\"\\\"hi\\\"\",\"path\":\"C:\\\\x\"}";

        assertThat(parse("{\"event\":\"e\",\"data\":" + data + ",\"socket\":null}").data()).isEqualTo(data);
    }

    @Test
    void escapedEventAndSocketAreDecoded() throws Exception {
        Publication p = parse("{\"event\":\"App\\\\Events\\\\Caf\\u00e9\\/Shipped\",\"data\":{},\"socket\":\"a\\/b\\u0041\"}");

        assertThat(p.event()).isEqualTo("App\\Events\\Caf\u00e9/Shipped");
        assertThat(p.socket()).isEqualTo("a/bA");
    }

    @Test
    void unknownKeysAreIgnored() throws Exception {
        Publication p = parse("{\"id\":\"x\",\"meta\":{\"event\":\"not-this\",\"data\":[1],\"socket\":5},\"event\":\"e\","
                + "\"list\":[{\"data\":0},[\"socket\"]],\"data\":{\"k\":true},\"n\":1.5,\"b\":false,\"z\":null,\"socket\":null,"
                + "\"after\":\"x\"}");

        assertThat(p.event()).isEqualTo("e");
        assertThat(p.data()).isEqualTo("{\"k\":true}");
        assertThat(p.socket()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"event\":\"e\",\"data\":{\"a\":1},\"socket\":\"s\"}",
            "{\"event\":\"e\",\"socket\":\"s\",\"data\":{\"a\":1}}",
            "{\"data\":{\"a\":1},\"event\":\"e\",\"socket\":\"s\"}",
            "{\"data\":{\"a\":1},\"socket\":\"s\",\"event\":\"e\"}",
            "{\"socket\":\"s\",\"event\":\"e\",\"data\":{\"a\":1}}",
            "{\"socket\":\"s\",\"data\":{\"a\":1},\"event\":\"e\"}",
            " \n\t{ \"socket\" : \"s\" , \"data\" :{\"a\":1}, \"event\" : \"e\" } \n\r\t",
    })
    void keyOrderDoesNotMatter(String message) throws Exception {
        assertThat(parse(message)).isEqualTo(new Publication(ChannelName.of("orders.1"), "e", "{\"a\":1}", "s"));
    }

    @Test
    void socketMayBeAbsentNullOrEmpty() throws Exception {
        assertThat(parse("{\"event\":\"e\",\"data\":{}}").socket()).isNull();
        assertThat(parse("{\"event\":\"e\",\"data\":{},\"socket\":null}").socket()).isNull();
        assertThat(parse("{\"event\":\"e\",\"data\":{},\"socket\":\"\"}").socket()).isNull();
    }

    @Test
    void channelIsTakenAsGiven() throws Exception {
        assertThat(parse("presence-chat.1", "{\"event\":\"e\",\"data\":{}}").channel())
                .isEqualTo(ChannelName.of("presence-chat.1"));
    }

    @Test
    void roundTripsWithLaravelPayload() throws Exception {
        Publication original = new Publication(ChannelName.of("orders.1"), "App\\Events\\Caf\u00e9/\"Shipped\"",
                "{ \"name\" : \"Zo\u00eb\", \"n\" : [1, 2.50] }", "abc/def");

        assertThat(parser.parse("orders.1", LaravelPayload.encode(original))).isEqualTo(original);
    }

    @Test
    void parsesFromAByteArrayWithoutCopyingState() throws Exception {
        // the same parser serves many messages (and threads)
        for (int i = 0; i < 100; i++) {
            assertThat(parse("{\"event\":\"e" + i + "\",\"data\":[" + i + "]}").data()).isEqualTo("[" + i + "]");
        }
    }

    // ------------------------------------------------------------------ malformed messages

    @Test
    void invalidChannel() {
        byte[] ok = "{\"event\":\"e\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);

        for (String channel : new String[] {"", "a b", "orders/1", "caf\u00e9", "a".repeat(201)}) {
            MalformedMessageException e = malformed(channel, ok);
            assertThat(e.kind()).as(channel).isEqualTo("invalid-channel");
        }
        assertThat(malformed(null, ok).kind()).isEqualTo("invalid-channel");
        assertThat(malformed("a b", ok).getMessage()).contains("invalid character at index 1").contains("a b");
    }

    @Test
    void invalidChannelDetailIsAbbreviated() {
        MalformedMessageException e = malformed("x".repeat(500), "{\"event\":\"e\",\"data\":{}}".getBytes(StandardCharsets.UTF_8));

        assertThat(e.kind()).isEqualTo("invalid-channel");
        assertThat(e.getMessage()).contains("x".repeat(60) + "...").doesNotContain("x".repeat(61));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "garbage",
            "hello world",
            "nul",
            "{event:\"e\",data:{}}",
            "{'event':'e','data':{}}",
            "{\"event\":\"e\",\"data\":{},}",
            "{\"event\" \"e\"}",
            "{\"event\":\"e\",\"data\":{\"a\":}}",
            "{\"event\":\"e\",\"data\":[1,,2]}",
            "{\"event\":\"e\",\"data\":01}",
            "{\"event\":\"e\",\"data\":NaN}",
    })
    void notJsonGarbage(String message) {
        assertThat(malformed(message).kind()).isEqualTo("not-json");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{",
            "{\"event\"",
            "{\"event\":\"e\"",
            "{\"event\":\"e\",",
            "{\"event\":\"e\",\"data\":{}",
            "{\"event\":\"e\",\"data\":{\"a\":[1,2",
            "{\"event\":\"e\",\"data\":\"unterminated",
            "{\"event\":\"e\",\"data\":{},\"socket\":null",
    })
    void notJsonTruncated(String message) {
        assertThat(malformed(message).kind()).isEqualTo("not-json");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"event\":\"e\",\"data\":{}} x",
            "{\"event\":\"e\",\"data\":{}}}",
            "{\"event\":\"e\",\"data\":{}}{}",
            "{\"event\":\"e\",\"data\":{}} {\"event\":\"f\",\"data\":{}}",
            "{\"event\":\"e\",\"data\":{}} 1",
            "{\"event\":\"e\",\"data\":{}},",
    })
    void notJsonTrailingContent(String message) {
        assertThat(malformed(message).kind()).isEqualTo("not-json");
    }

    @Test
    void notJsonInvalidUtf8() {
        byte[] message = {'{', '"', 'e', 'v', 'e', 'n', 't', '"', ':', '"', (byte) 0xff, '"', ',', '"', 'd', 'a', 't', 'a',
                '"', ':', '{', '}', '}'};

        assertThat(malformed("orders.1", message).kind()).isEqualTo("not-json");
    }

    @Test
    void notJsonInvalidUtf8InsideData() {
        // data is only skipped, not decoded, yet its bytes are still checked
        byte[] prefix = "{\"event\":\"e\",\"data\":{\"a\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}}".getBytes(StandardCharsets.UTF_8);
        for (byte[] bad : new byte[][] {{(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xe4, (byte) 0xb8}, {(byte) 0x80}}) {
            byte[] message = new byte[prefix.length + bad.length + suffix.length];
            System.arraycopy(prefix, 0, message, 0, prefix.length);
            System.arraycopy(bad, 0, message, prefix.length, bad.length);
            System.arraycopy(suffix, 0, message, prefix.length + bad.length, suffix.length);
            assertThat(malformed("orders.1", message).kind()).isEqualTo("not-json");
        }
    }

    @Test
    void notJsonRawControlCharacterInData() {
        assertThat(malformed("{\"event\":\"e\",\"data\":{\"a\":\"x\u0001y\"}}").kind()).isEqualTo("not-json");
        assertThat(malformed("{\"event\":\"e\",\"data\":\"line\nbreak\"}").kind()).isEqualTo("not-json");
    }

    @Test
    void notJsonTooDeep() {
        String data = "[".repeat(300) + "]".repeat(300);

        assertThat(malformed("{\"event\":\"e\",\"data\":" + data + "}").kind()).isEqualTo("not-json");
    }

    /** An empty (or blank) message, e.g. {@code PUBLISH orders.1 ""}, is not a JSON text at all. */
    @Test
    void emptyMessageIsNotJson() {
        assertThat(malformed("").kind()).isEqualTo("not-json");
        assertThat(malformed("  \n").kind()).isEqualTo("not-json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "[]", "[{\"event\":\"e\",\"data\":{}}]", "\"string\"", "42", "null", "true"})
    void notObject(String message) {
        MalformedMessageException e = malformed(message);

        assertThat(e.kind()).isEqualTo("not-object");
        assertThat(e.getMessage()).isEqualTo("message is not a JSON object");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"data\":{},\"socket\":null}",
            "{\"Event\":\"e\",\"data\":{}}",
            "{\"meta\":{\"event\":\"e\"},\"data\":{}}",
    })
    void missingEvent(String message) {
        assertThat(malformed(message).kind()).isEqualTo("missing-event");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"event\":1,\"data\":{}}",
            "{\"event\":1.5,\"data\":{}}",
            "{\"event\":\"\",\"data\":{}}",
            "{\"event\":null,\"data\":{}}",
            "{\"event\":true,\"data\":{}}",
            "{\"event\":{\"name\":\"e\"},\"data\":{}}",
            "{\"event\":[\"e\"],\"data\":{}}",
    })
    void invalidEvent(String message) {
        assertThat(malformed(message).kind()).isEqualTo("invalid-event");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"event\":\"e\"}",
            "{\"event\":\"e\",\"socket\":null}",
            "{\"event\":\"e\",\"Data\":{}}",
            "{\"event\":\"e\",\"payload\":{\"data\":{}}}",
    })
    void missingData(String message) {
        assertThat(malformed(message).kind()).isEqualTo("missing-data");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"event\":\"e\",\"data\":{},\"socket\":1}",
            "{\"event\":\"e\",\"data\":{},\"socket\":1.5}",
            "{\"event\":\"e\",\"data\":{},\"socket\":true}",
            "{\"event\":\"e\",\"data\":{},\"socket\":{}}",
            "{\"event\":\"e\",\"data\":{},\"socket\":[\"a\"]}",
    })
    void invalidSocket(String message) {
        assertThat(malformed(message).kind()).isEqualTo("invalid-socket");
    }

    @Test
    void malformedExceptionIsCheapAndKeepsItsKind() {
        MalformedMessageException e = new MalformedMessageException("too-large", "message of 10 bytes");

        assertThat(e.kind()).isEqualTo("too-large");
        assertThat(e).hasMessage("message of 10 bytes").hasNoCause();
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void parseDeclaresItsException() {
        assertThatThrownBy(() -> parser.parse("orders.1", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedMessageException.class);
    }
}
