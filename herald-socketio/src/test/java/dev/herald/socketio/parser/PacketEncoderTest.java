package dev.herald.socketio.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.socketio.SocketIoConfig;
import dev.herald.socketio.SocketIoServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link PacketEncoder}: exact wire strings. The text buffer of an {@link EncodedPacket} is the whole Engine.IO
 * message, so it starts with the Engine.IO message digit {@code 4} followed by the Socket.IO type digit
 * ({@code 42[...]} for an EVENT). Every packet is released and checked released; the tracked (pooled) buffers
 * are also covered by the leak gate.
 */
class PacketEncoderTest {

    private static final ObjectMapper MAPPER = new SocketIoServer(SocketIoConfig.defaults()).mapper();
    private static final PacketEncoder ENCODER = new PacketEncoder(MAPPER, ByteBufAllocator.DEFAULT);

    /** What an encoded packet held, read and released. */
    private record Encoded(String text, List<byte[]> attachments) {}

    private static Encoded encode(Function<PacketEncoder, EncodedPacket> encoding) {
        EncodedPacket packet = encoding.apply(ENCODER);
        ByteBuf text = packet.text();
        List<ByteBuf> attachments = new ArrayList<>();
        List<byte[]> bytes = new ArrayList<>();
        try {
            int readerIndex = text.readerIndex();
            String string = text.toString(StandardCharsets.UTF_8);
            assertThat(text.readerIndex()).as("text left unread").isEqualTo(readerIndex);
            List<WebSocketFrame> frames = packet.frames();
            try {
                assertThat(frames).hasSize(1 + packet.attachmentCount());
                assertThat(frames.get(0)).isInstanceOf(TextWebSocketFrame.class);
                assertThat(((TextWebSocketFrame) frames.get(0)).text()).isEqualTo(string);
                for (WebSocketFrame frame : frames.subList(1, frames.size())) {
                    assertThat(frame).isInstanceOf(BinaryWebSocketFrame.class);
                    attachments.add(frame.content()); // a retained duplicate: its refCnt is the packet's
                    bytes.add(ByteBufUtil.getBytes(frame.content()));
                }
            } finally {
                frames.forEach(WebSocketFrame::release);
            }
            return new Encoded(string, bytes);
        } finally {
            packet.release();
            assertThat(text.refCnt()).as("text released").isZero();
            for (ByteBuf attachment : attachments) assertThat(attachment.refCnt()).as("attachment released").isZero();
        }
    }

    private static String text(Function<PacketEncoder, EncodedPacket> encoding) {
        Encoded encoded = encode(encoding);
        assertThat(encoded.attachments()).isEmpty();
        return encoded.text();
    }

    private static Object[] args(Object... args) {
        return args;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return map;
    }

    private static final String P0 = "{\"_placeholder\":true,\"num\":0}";
    private static final String P1 = "{\"_placeholder\":true,\"num\":1}";
    private static final String P2 = "{\"_placeholder\":true,\"num\":2}";

    @Nested
    class Events {

        @Test
        void eventWithMixedArguments() {
            assertThat(text(e -> e.event("/", "message-back", -1, args(1, "2", map("3", List.of(true))))))
                    .isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
        }

        @Test
        void eventWithoutArguments() {
            assertThat(text(e -> e.event("/", "ping", -1, args()))).isEqualTo("42[\"ping\"]");
        }

        @Test
        void eventInANamespace() {
            assertThat(text(e -> e.event("/admin", "news", -1, args("x")))).isEqualTo("42/admin,[\"news\",\"x\"]");
        }

        @Test
        void eventWithAnAckId() {
            assertThat(text(e -> e.event("/", "question", 12, args()))).isEqualTo("4212[\"question\"]");
            assertThat(text(e -> e.event("/chat", "question", 0, args(1)))).isEqualTo("42/chat,0[\"question\",1]");
        }

        @Test
        void scalarsAndNull() {
            assertThat(text(e -> e.event("/", "s", -1,
                    args(null, true, false, 0, -7L, 1.5, new BigDecimal("12.50"), Long.MAX_VALUE))))
                    .isEqualTo("42[\"s\",null,true,false,0,-7,1.5,12.50," + Long.MAX_VALUE + "]");
        }

        @Test
        void stringsAreEscapedAndUtf8Encoded() {
            assertThat(text(e -> e.event("/", "é\"vènt", -1, args("line\nbreak", "tab\t", "back\\slash"))))
                    .isEqualTo("42[\"é\\\"vènt\",\"line\\nbreak\",\"tab\\t\",\"back\\\\slash\"]");
        }

        @Test
        void supplementaryCharactersAreWrittenAsEscapedSurrogatePairs() throws Exception {
            // Jackson's UTF-8 generator escapes them (valid JSON that every parser turns back into the character).
            String text = text(e -> e.event("/", "emoji", -1, args("😀")));

            assertThat(text).isEqualTo("42[\"emoji\",\"\\uD83D\\uDE00\"]");
            assertThat(MAPPER.readTree(text.substring(2)).get(1).textValue()).isEqualTo("😀");
        }

        @Test
        void nestedCollectionsArraysAndJsonNodes() throws Exception {
            ObjectNode node = MAPPER.createObjectNode().put("k", "v");
            node.putArray("list").add(1).add("two");
            JsonNode textNode = MAPPER.readTree("\"t\"");
            assertThat(text(e -> e.event("/", "n", -1,
                    args(List.of(1, List.of(2, 3)), new Object[] {"a", new Object[] {}}, node, textNode))))
                    .isEqualTo("42[\"n\",[1,[2,3]],[\"a\",[]],{\"k\":\"v\",\"list\":[1,\"two\"]},\"t\"]");
        }

        @Test
        void pojosAndRecordsGoThroughJackson() {
            record Point(int x, String label) {}
            assertThat(text(e -> e.event("/", "p", -1, args(new Point(3, "a"))))).isEqualTo("42[\"p\",{\"x\":3,\"label\":\"a\"}]");
        }

        @Test
        void rawJsonIsWrittenVerbatim() {
            String raw = "{ \"b\" : 1,\n \"a\":[1, 2] }";
            assertThat(text(e -> e.event("/", "raw", -1, args(new RawJson(raw), map("in", new RawJson("[ ]"))))))
                    .isEqualTo("42[\"raw\"," + raw + ",{\"in\":[ ]}]");
        }

        @Test
        void aValueJacksonCannotWriteThrowsAndReleasesEverything() {
            // The pooled text buffer and the attachment made before the failure are released (leak gate).
            assertThatThrownBy(() -> ENCODER.event("/", "bad", -1, args(new byte[] {1}, new Object())))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Acks {

        @Test
        void ack() {
            assertThat(text(e -> e.ack("/", 5, args("ok", map("n", 1))))).isEqualTo("435[\"ok\",{\"n\":1}]");
        }

        @Test
        void ackWithoutArgumentsInANamespace() {
            assertThat(text(e -> e.ack("/admin", 5, args()))).isEqualTo("43/admin,5[]");
        }
    }

    @Nested
    class BinaryArguments {

        @Test
        void byteArrayTurnsEventIntoBinaryEvent() {
            Encoded encoded = encode(e -> e.event("/", "upload", -1, args(new byte[] {1, 2, 3})));

            assertThat(encoded.text()).isEqualTo("451-[\"upload\"," + P0 + "]");
            assertThat(encoded.attachments()).containsExactly(new byte[] {1, 2, 3});
        }

        @Test
        void placeholdersAreNumberedInOrderWhereverTheBinariesAre() {
            ObjectNode node = MAPPER.createObjectNode();
            node.set("bin", BinaryNode.valueOf(new byte[] {3}));
            Encoded encoded = encode(e -> e.event("/", "files", -1,
                    args(new byte[] {0}, map("nested", List.of("x", new byte[] {1})), ByteBuffer.wrap(new byte[] {2}), node,
                            BinaryNode.valueOf(new byte[] {4}))));

            assertThat(encoded.text()).isEqualTo("455-[\"files\"," + P0 + ",{\"nested\":[\"x\"," + P1 + "]}," + P2
                    + ",{\"bin\":{\"_placeholder\":true,\"num\":3}},{\"_placeholder\":true,\"num\":4}]");
            assertThat(encoded.attachments()).containsExactly(new byte[] {0}, new byte[] {1}, new byte[] {2},
                    new byte[] {3}, new byte[] {4});
        }

        @Test
        void binaryEventWithNamespaceAndAckId() {
            Encoded encoded = encode(e -> e.event("/admin", "up", 42, args("a", new byte[] {9})));

            assertThat(encoded.text()).isEqualTo("451-/admin,42[\"up\",\"a\"," + P0 + "]");
        }

        @Test
        void byteArrayTurnsAckIntoBinaryAck() {
            Encoded encoded = encode(e -> e.ack("/", 789, args(new byte[] {7}, new byte[] {8})));

            assertThat(encoded.text()).isEqualTo("462-789[" + P0 + "," + P1 + "]");
            assertThat(encoded.attachments()).containsExactly(new byte[] {7}, new byte[] {8});
        }

        @Test
        void binaryAckInANamespace() {
            assertThat(encode(e -> e.ack("/admin", 1, args(new byte[] {1}))).text()).isEqualTo("461-/admin,1[" + P0 + "]");
        }

        @Test
        void byteBufferIsCopiedWithoutMovingItsPosition() {
            ByteBuffer buffer = ByteBuffer.wrap(new byte[] {5, 6, 7});
            buffer.position(1);

            Encoded encoded = encode(e -> e.event("/", "b", -1, args(buffer)));

            assertThat(encoded.attachments()).containsExactly(new byte[] {6, 7});
            assertThat(buffer.position()).isEqualTo(1);
        }

        @Test
        void binaryFieldsOfARecordBecomeAttachments() {
            record Blob(String name, byte[] data) {}
            Encoded encoded = encode(e -> e.event("/", "blob", -1, args(new Blob("n", new byte[] {1, 2}))));

            assertThat(encoded.text()).isEqualTo("451-[\"blob\",{\"name\":\"n\",\"data\":" + P0 + "}]");
            assertThat(encoded.attachments()).containsExactly(new byte[] {1, 2});
        }

        @Test
        void nonAsciiNamespaceBeforeTheRebuiltHeader() {
            Encoded encoded = encode(e -> e.event("/ñ", "é", 3, args(new byte[] {1})));

            assertThat(encoded.text()).isEqualTo("451-/ñ,3[\"é\"," + P0 + "]");
        }

        @Test
        void framesAreIndependentRetainedCopiesOfThePacket() {
            EncodedPacket packet = ENCODER.event("/", "b", -1, args(new byte[] {1, 2}));
            List<WebSocketFrame> first = packet.frames();
            List<WebSocketFrame> second = packet.frames();
            ByteBuf text = second.get(0).content();
            ByteBuf attachment = second.get(1).content();
            packet.release();

            // Still readable after the packet's release: each frame holds its own reference.
            assertThat(((TextWebSocketFrame) first.get(0)).text()).isEqualTo("451-[\"b\"," + P0 + "]");
            assertThat(ByteBufUtil.getBytes(attachment)).containsExactly(1, 2);
            first.forEach(WebSocketFrame::release);
            assertThat(text.refCnt()).isEqualTo(1);
            assertThat(attachment.refCnt()).isEqualTo(1);
            second.forEach(WebSocketFrame::release);
            assertThat(text.refCnt()).isZero();
            assertThat(attachment.refCnt()).isZero();
        }
    }

    @Nested
    class ControlPackets {

        @Test
        void connect() {
            assertThat(text(e -> e.connect("/", "x"))).isEqualTo("40{\"sid\":\"x\"}");
            assertThat(text(e -> e.connect("/admin", "abc-DEF_1"))).isEqualTo("40/admin,{\"sid\":\"abc-DEF_1\"}");
        }

        @Test
        void connectErrorWithoutData() {
            assertThat(text(e -> e.connectError("/", "Not authorized", null))).isEqualTo("44{\"message\":\"Not authorized\"}");
        }

        @Test
        void connectErrorWithData() {
            assertThat(text(e -> e.connectError("/admin", "Invalid \"token\"", map("code", 4, "retry", false))))
                    .isEqualTo("44/admin,{\"message\":\"Invalid \\\"token\\\"\",\"data\":{\"code\":4,\"retry\":false}}");
        }

        @Test
        void disconnect() {
            assertThat(text(e -> e.disconnect("/"))).isEqualTo("41");
            assertThat(text(e -> e.disconnect("/admin"))).isEqualTo("41/admin,");
        }
    }

    /** What the encoder writes, the decoder reads back (without the Engine.IO digit, as the session strips it). */
    @Nested
    class RoundTrip {

        private Packet roundTrip(Function<PacketEncoder, EncodedPacket> encoding) throws InvalidPacketException {
            Encoded encoded = encode(encoding);
            assertThat(encoded.text()).startsWith("4");
            PacketDecoder decoder = new PacketDecoder(MAPPER, 10);
            Packet packet = decoder.decodeText(encoded.text().substring(1));
            for (byte[] attachment : encoded.attachments()) {
                assertThat(packet).isNull();
                packet = decoder.decodeBinary(attachment);
            }
            assertThat(decoder.isReconstructing()).isFalse();
            return packet;
        }

        @Test
        void eventWithBinaries() throws Exception {
            Packet packet = roundTrip(e -> e.event("/admin", "up", 7, args("a", map("b", new byte[] {1}), new byte[] {2, 3})));

            assertThat(packet.type()).isEqualTo(PacketType.BINARY_EVENT);
            assertThat(packet.namespace()).isEqualTo("/admin");
            assertThat(packet.id()).isEqualTo(7);
            JsonNode data = packet.data();
            assertThat(data.get(0).textValue()).isEqualTo("up");
            assertThat(data.get(2).get("b").binaryValue()).containsExactly(1);
            assertThat(data.get(3).binaryValue()).containsExactly(2, 3);
        }

        @Test
        void connectAndConnectError() throws Exception {
            assertThat(roundTrip(e -> e.connect("/x", "id")).data().get("sid").textValue()).isEqualTo("id");
            assertThat(roundTrip(e -> e.connectError("/x", "no", null)).data().get("message").textValue()).isEqualTo("no");
        }

        @Test
        void ack() throws Exception {
            Packet packet = roundTrip(e -> e.ack("/", 3, args("r")));
            assertThat(packet).isEqualTo(new Packet(PacketType.ACK, "/", 3, MAPPER.createArrayNode().add("r")));
        }
    }
}
