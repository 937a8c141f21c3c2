package dev.herald.socketio.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.socketio.SocketIoConfig;
import dev.herald.socketio.SocketIoServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PacketDecoder} against the Socket.IO v5 wire format and the reference parser's rejections. The decoder
 * reads a Socket.IO packet, that is an Engine.IO message without its {@code 4} digit: the wire's
 * {@code 40/custom,} reaches it as {@code 0/custom,}.
 */
class PacketDecoderTest {

    /** The server's own mapper (trailing tokens and duplicate keys rejected), so its configuration is tested too. */
    private static final ObjectMapper MAPPER = new SocketIoServer(SocketIoConfig.defaults()).mapper();
    private static final int MAX_ATTACHMENTS = 10;

    private PacketDecoder decoder;

    @BeforeEach
    void newDecoder() {
        decoder = new PacketDecoder(MAPPER, MAX_ATTACHMENTS);
    }

    private Packet decode(String text) throws InvalidPacketException {
        Packet packet = decoder.decodeText(text);
        assertThat(packet).as("complete packet for %s", text).isNotNull();
        return packet;
    }

    private static JsonNode json(String json) throws Exception {
        return MAPPER.readTree(json);
    }

    private void assertInvalid(String text, String message) {
        assertThatThrownBy(() -> decoder.decodeText(text))
                .as("decoding %s", text)
                .isInstanceOf(InvalidPacketException.class)
                .hasMessage(message);
        assertThat(decoder.isReconstructing()).isFalse();
    }

    @Nested
    class EveryPacketType {

        @Test
        void connectToTheMainNamespace() throws Exception {
            Packet packet = decode("0");
            assertThat(packet).isEqualTo(new Packet(PacketType.CONNECT, "/", -1, null));
            assertThat(packet.hasAck()).isFalse();
        }

        @Test
        void connectWithAuth() throws Exception {
            assertThat(decode("0{\"token\":\"123\"}"))
                    .isEqualTo(new Packet(PacketType.CONNECT, "/", -1, json("{\"token\":\"123\"}")));
        }

        @Test
        void connectToACustomNamespaceWithAuth() throws Exception {
            assertThat(decode("0/admin,{\"token\":\"123\"}"))
                    .isEqualTo(new Packet(PacketType.CONNECT, "/admin", -1, json("{\"token\":\"123\"}")));
        }

        @Test
        void disconnect() throws Exception {
            assertThat(decode("1")).isEqualTo(new Packet(PacketType.DISCONNECT, "/", -1, null));
            assertThat(decode("1/admin,")).isEqualTo(new Packet(PacketType.DISCONNECT, "/admin", -1, null));
        }

        @Test
        void event() throws Exception {
            assertThat(decode("2[\"hello\",1,{\"a\":[true,null]}]"))
                    .isEqualTo(new Packet(PacketType.EVENT, "/", -1, json("[\"hello\",1,{\"a\":[true,null]}]")));
        }

        @Test
        void eventWithANumericName() throws Exception {
            assertThat(decode("2[42,\"x\"]").data()).isEqualTo(json("[42,\"x\"]"));
        }

        @Test
        void eventWithAnAckId() throws Exception {
            Packet packet = decode("212[\"hello\"]");
            assertThat(packet).isEqualTo(new Packet(PacketType.EVENT, "/", 12, json("[\"hello\"]")));
            assertThat(packet.hasAck()).isTrue();
        }

        @Test
        void eventWithANamespaceAndAnAckId() throws Exception {
            assertThat(decode("2/chat,456[\"hello\",\"world\"]"))
                    .isEqualTo(new Packet(PacketType.EVENT, "/chat", 456, json("[\"hello\",\"world\"]")));
        }

        @Test
        void ackIdZero() throws Exception {
            assertThat(decode("20[\"x\"]").id()).isZero();
        }

        @Test
        void ack() throws Exception {
            assertThat(decode("3789[\"ok\",{\"n\":1}]"))
                    .isEqualTo(new Packet(PacketType.ACK, "/", 789, json("[\"ok\",{\"n\":1}]")));
            assertThat(decode("3/admin,1[]")).isEqualTo(new Packet(PacketType.ACK, "/admin", 1, json("[]")));
        }

        @Test
        void connectErrorWithAnObjectOrAString() throws Exception {
            assertThat(decode("4{\"message\":\"Not authorized\"}"))
                    .isEqualTo(new Packet(PacketType.CONNECT_ERROR, "/", -1, json("{\"message\":\"Not authorized\"}")));
            assertThat(decode("4/admin,\"nope\""))
                    .isEqualTo(new Packet(PacketType.CONNECT_ERROR, "/admin", -1, json("\"nope\"")));
        }

        @Test
        void binaryEventWithoutAttachments() throws Exception {
            assertThat(decode("50-[\"x\"]")).isEqualTo(new Packet(PacketType.BINARY_EVENT, "/", -1, json("[\"x\"]")));
        }
    }

    @Nested
    class Namespaces {

        @Test
        void customNamespaceWithComma() throws Exception {
            assertThat(decode("0/custom,")).isEqualTo(new Packet(PacketType.CONNECT, "/custom", -1, null));
        }

        @Test
        void namespaceWithoutCommaRunsToTheEnd() throws Exception {
            assertThat(decode("0/random")).isEqualTo(new Packet(PacketType.CONNECT, "/random", -1, null));
        }

        @Test
        void disconnectFromANamespace() throws Exception {
            assertThat(decode("1/admin,")).isEqualTo(new Packet(PacketType.DISCONNECT, "/admin", -1, null));
        }

        @Test
        void nonAsciiNamespace() throws Exception {
            assertThat(decode("2/énoncé,[\"x\"]").namespace()).isEqualTo("/énoncé");
        }
    }

    @Nested
    class BinaryReconstruction {

        @Test
        void binaryEventWithTwoAttachments() throws Exception {
            assertThat(decoder.decodeText(
                    "52-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]")).isNull();
            assertThat(decoder.isReconstructing()).isTrue();
            assertThat(decoder.decodeBinary(new byte[] {1, 2, 3})).isNull();
            assertThat(decoder.isReconstructing()).isTrue();

            Packet packet = decoder.decodeBinary(new byte[] {4, 5});

            assertThat(decoder.isReconstructing()).isFalse();
            assertThat(packet.type()).isEqualTo(PacketType.BINARY_EVENT);
            assertThat(packet.namespace()).isEqualTo("/");
            assertThat(packet.id()).isEqualTo(-1);
            assertThat(packet.data().get(0).textValue()).isEqualTo("message");
            assertThat(packet.data().get(1).isBinary()).isTrue();
            assertThat(packet.data().get(1).binaryValue()).containsExactly(1, 2, 3);
            assertThat(packet.data().get(2).binaryValue()).containsExactly(4, 5);
        }

        @Test
        void binaryAckWithNamespaceAndId() throws Exception {
            assertThat(decoder.decodeText("61-/admin,789[{\"_placeholder\":true,\"num\":0},\"after\"]")).isNull();

            Packet packet = decoder.decodeBinary(new byte[] {9});

            assertThat(packet.type()).isEqualTo(PacketType.BINARY_ACK);
            assertThat(packet.namespace()).isEqualTo("/admin");
            assertThat(packet.id()).isEqualTo(789);
            assertThat(packet.data().get(0).binaryValue()).containsExactly(9);
            assertThat(packet.data().get(1).textValue()).isEqualTo("after");
        }

        @Test
        void binaryAckWithId() throws Exception {
            assertThat(decoder.decodeText("62-789[{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":0}]"))
                    .isNull();
            decoder.decodeBinary(new byte[] {0});
            Packet packet = decoder.decodeBinary(new byte[] {1});

            assertThat(packet.type()).isEqualTo(PacketType.BINARY_ACK);
            assertThat(packet.id()).isEqualTo(789);
            assertThat(packet.data().get(0).binaryValue()).containsExactly(1);
            assertThat(packet.data().get(1).binaryValue()).containsExactly(0);
        }

        @Test
        void placeholdersNestedInObjectsAndArrays() throws Exception {
            decoder.decodeText("51-[\"upload\",{\"file\":{\"name\":\"a.bin\",\"parts\":[{\"_placeholder\":true,\"num\":0}]}}]");

            Packet packet = decoder.decodeBinary(new byte[] {7, 7});

            JsonNode part = packet.data().get(1).get("file").get("parts").get(0);
            assertThat(part.binaryValue()).containsExactly(7, 7);
            assertThat(packet.data().get(1).get("file").get("name").textValue()).isEqualTo("a.bin");
        }

        @Test
        void anObjectWithAFalsePlaceholderFlagIsData() throws Exception {
            decoder.decodeText("51-[\"x\",{\"_placeholder\":false,\"num\":5},{\"_placeholder\":true,\"num\":0}]");

            Packet packet = decoder.decodeBinary(new byte[] {1});

            assertThat(packet.data().get(1)).isEqualTo(json("{\"_placeholder\":false,\"num\":5}"));
        }

        @Test
        void theDecoderIsReusableAfterAReconstruction() throws Exception {
            decoder.decodeText("51-[\"a\",{\"_placeholder\":true,\"num\":0}]");
            decoder.decodeBinary(new byte[] {1});

            assertThat(decode("2[\"b\"]").data()).isEqualTo(json("[\"b\"]"));
        }
    }

    @Nested
    class MalformedInput {

        @ParameterizedTest
        @ValueSource(strings = {"abc", "7", "9[\"x\"]", "-1", " 2[\"x\"]"})
        void unknownPacketType(String text) {
            assertInvalid(text, "unknown packet type " + text.charAt(0));
        }

        @Test
        void emptyPacket() {
            assertInvalid("", "empty packet");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "2{}",              // event payload not an array
                "2[]",              // no event name
                "2[null]",          // event name neither string nor number
                "2[{\"a\":1}]",
                "2\"x\"",
                "2",                // event without payload
                "3",                // ack without payload
                "3{}",              // ack payload not an array
                "2abc[\"x\"]",      // invalid ack id: the rest is not JSON
                "2[\"a\"",          // unterminated JSON
                "2[\"a\"]x",        // trailing garbage
                "2[\"a\"][\"b\"]",  // two JSON values
                "2[\"a\",]",
                "0[]",              // connect payload not an object
                "0\"token\"",
                "0null",
                "0{\"a\":1,\"a\":2}", // duplicate key
                "0/admin,{",
                "1{}",              // disconnect with payload
                "1/admin,{\"x\":1}",
                "1\"bye\"",
                "4",                // connect error without payload
                "4[1]",
                "2 "                // whitespace only
        })
        void invalidPayload(String text) {
            assertInvalid(text, "invalid payload");
        }

        @ParameterizedTest
        @ValueSource(strings = {"connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"})
        void reservedEventNames(String name) {
            assertInvalid("2[\"" + name + "\"]", "invalid payload");
            assertInvalid("51-[\"" + name + "\",{\"_placeholder\":true,\"num\":0}]", "invalid payload");
        }

        @Test
        void anAckIdOfMoreThanFifteenDigits() {
            assertInvalid("21234567890123456[\"x\"]", "invalid ack id");
        }

        @Test
        void anAckIdOfFifteenDigitsIsAccepted() throws Exception {
            assertThat(decode("2123456789012345[\"x\"]").id()).isEqualTo(123456789012345L);
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "5-[\"x\",{\"_placeholder\":true,\"num\":0}]",   // no count
                "5x-[\"x\"]",                                     // count not a number
                "51[\"x\"]",                                      // no dash
                "5[\"a-b\"]",                                     // the only dash is in the JSON
                "6",                                              // nothing at all
                "5-1-[\"x\"]",
                "51234567890-[\"x\"]"                            // more than 9 digits
        })
        void illegalAttachments(String text) {
            assertInvalid(text, "illegal attachments");
        }

        @Test
        void attachmentCountAboveTheLimit() {
            assertInvalid("5" + (MAX_ATTACHMENTS + 1) + "-[\"x\"]", "too many attachments");
        }

        @Test
        void attachmentCountAtTheLimitIsAccepted() throws Exception {
            assertThat(decoder.decodeText("5" + MAX_ATTACHMENTS + "-[\"x\"]")).isNull();
            assertThat(decoder.isReconstructing()).isTrue();
        }

        @Test
        void noAttachmentAllowed() {
            PacketDecoder strict = new PacketDecoder(MAPPER, 0);
            assertThatThrownBy(() -> strict.decodeText("51-[\"x\",{\"_placeholder\":true,\"num\":0}]"))
                    .isInstanceOf(InvalidPacketException.class)
                    .hasMessage("too many attachments");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"_placeholder\":true,\"num\":2}",
                "{\"_placeholder\":true,\"num\":-1}",
                "{\"_placeholder\":true,\"num\":\"0\"}",
                "{\"_placeholder\":true}",
                "{\"_placeholder\":true,\"num\":99999999999}"
        })
        void placeholderNumOutOfRange(String placeholder) throws Exception {
            assertThat(decoder.decodeText("52-[\"x\"," + placeholder + "]")).isNull();
            decoder.decodeBinary(new byte[] {1});

            assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {2}))
                    .isInstanceOf(InvalidPacketException.class)
                    .hasMessage("illegal attachments");
            assertThat(decoder.isReconstructing()).as("state dropped after the error").isFalse();
        }

        @Test
        void textArrivingWhileReconstructing() throws Exception {
            decoder.decodeText("51-[\"x\",{\"_placeholder\":true,\"num\":0}]");

            assertThatThrownBy(() -> decoder.decodeText("2[\"y\"]"))
                    .isInstanceOf(InvalidPacketException.class)
                    .hasMessage("got plaintext data when reconstructing a packet");
        }

        @Test
        void binaryArrivingWhenNotReconstructing() {
            assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {1}))
                    .isInstanceOf(InvalidPacketException.class)
                    .hasMessage("got binary data when not reconstructing a packet");
        }

        @Test
        void binaryAfterACompletedReconstruction() throws Exception {
            decoder.decodeText("51-[\"x\",{\"_placeholder\":true,\"num\":0}]");
            decoder.decodeBinary(new byte[] {1});

            assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {2}))
                    .isInstanceOf(InvalidPacketException.class)
                    .hasMessage("got binary data when not reconstructing a packet");
        }

        @Test
        void deeplyNestedJsonIsRejectedWithoutAStackOverflow() {
            String nested = "[".repeat(5000) + "]".repeat(5000);
            assertInvalid("2[\"x\"," + nested + "]", "invalid payload");
        }
    }

    @Test
    void resetClearsAPacketUnderReconstruction() throws Exception {
        decoder.decodeText("52-[\"x\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        decoder.decodeBinary(new byte[] {1});

        decoder.reset();

        assertThat(decoder.isReconstructing()).isFalse();
        assertThatThrownBy(() -> decoder.decodeBinary(new byte[] {2}))
                .isInstanceOf(InvalidPacketException.class)
                .hasMessage("got binary data when not reconstructing a packet");
        // The buffers of the abandoned packet are gone: a new packet needs all of its own attachments.
        assertThat(decoder.decodeText("52-[\"y\",{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":0}]"))
                .isNull();
        assertThat(decoder.decodeBinary(new byte[] {3})).isNull();
        Packet packet = decoder.decodeBinary(new byte[] {4});
        assertThat(packet.data().get(1).binaryValue()).containsExactly(4);
        assertThat(packet.data().get(2).binaryValue()).containsExactly(3);
    }

    @Test
    void resetOnAnIdleDecoderIsHarmless() throws Exception {
        decoder.reset();
        assertThat(decode("2[\"x\"]").type()).isEqualTo(PacketType.EVENT);
    }
}
