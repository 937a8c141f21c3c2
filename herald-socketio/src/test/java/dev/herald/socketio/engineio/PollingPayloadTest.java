package dev.herald.socketio.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Engine.IO v4 long-polling payload: {@code \x1e}-separated packets, binary ones as {@code b<base64>}. */
class PollingPayloadTest {

    private static final String RS = "\u001e";

    private static TextWebSocketFrame text(String packet) {
        ByteBuf content = ByteBufAllocator.DEFAULT.buffer();
        content.writeCharSequence(packet, StandardCharsets.UTF_8);
        return new TextWebSocketFrame(content);
    }

    private static BinaryWebSocketFrame binary(int... bytes) {
        ByteBuf content = ByteBufAllocator.DEFAULT.buffer(bytes.length);
        for (int b : bytes) content.writeByte(b);
        return new BinaryWebSocketFrame(content);
    }

    /** Encodes, checks that the frames were released, and releases the payload. */
    private static String encode(WebSocketFrame... frames) {
        List<WebSocketFrame> list = new ArrayList<>(List.of(frames));
        ByteBuf payload = PollingPayload.encode(ByteBufAllocator.DEFAULT, list);
        try {
            for (WebSocketFrame frame : frames) assertThat(frame.refCnt()).as("frame released").isZero();
            return payload.toString(StandardCharsets.UTF_8);
        } finally {
            payload.release();
        }
    }

    @Test
    void encodesOnePacket() {
        assertThat(encode(text("4hello"))).isEqualTo("4hello");
    }

    @Test
    void encodesTextAndBinaryPacketsSeparated() {
        assertThat(encode(text("4hello"), binary(1, 2, 3, 4), text("2"), text("4é😀")))
                .isEqualTo("4hello" + RS + "bAQIDBA==" + RS + "2" + RS + "4é😀");
    }

    @Test
    void encodesAnEmptyBinaryMessage() {
        assertThat(encode(binary(), text("6"))).isEqualTo("b" + RS + "6");
    }

    @Test
    void encodeLeavesTheFramesReaderIndexAloneAndReadsOnlyReadableBytes() {
        ByteBuf content = Unpooled.buffer().writeBytes("xx4data".getBytes(StandardCharsets.US_ASCII));
        content.skipBytes(2);

        assertThat(encode(new TextWebSocketFrame(content))).isEqualTo("4data");
    }

    @Test
    void encodingALargeBinaryGrowsThePayload() {
        int[] bytes = new int[3000];
        for (int i = 0; i < bytes.length; i++) bytes[i] = i;
        String payload = encode(binary(bytes));

        List<PollingPayload.Packet> decoded = PollingPayload.decode(payload);
        assertThat(decoded).singleElement().satisfies(p -> assertThat(p.binary()).hasSize(3000));
    }

    @Test
    void decodesTextAndBinaryPackets() {
        List<PollingPayload.Packet> packets = PollingPayload.decode("4hello" + RS + "bAQIDBA==" + RS + "3" + RS + "b");

        assertThat(packets).hasSize(4);
        assertThat(packets.get(0).isBinary()).isFalse();
        assertThat(packets.get(0).text()).isEqualTo("4hello");
        assertThat(packets.get(1).isBinary()).isTrue();
        assertThat(packets.get(1).binary()).containsExactly(1, 2, 3, 4);
        assertThat(packets.get(2).text()).isEqualTo("3");
        assertThat(packets.get(3).binary()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", RS, "4a" + RS, RS + "4a", "4a" + RS + RS + "4b"})
    void rejectsEmptyPackets(String payload) {
        assertThatThrownBy(() -> PollingPayload.decode(payload))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("empty packet in payload");
    }

    @ParameterizedTest
    @ValueSource(strings = {"b!", "bAQ=D", "b====", "4a" + RS + "b*"})
    void rejectsInvalidBase64(String payload) {
        assertThatThrownBy(() -> PollingPayload.decode(payload)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4hello", "4a" + RS + "4b" + RS + "4c", "4hello" + RS + "bAQIDBA==", "2" + RS + "b" + RS + "6",
            "4{\"json\":[1,2]}", "4é😀" + RS + "b/w=="})
    void roundTrips(String payload) {
        List<WebSocketFrame> frames = new ArrayList<>();
        for (PollingPayload.Packet packet : PollingPayload.decode(payload)) {
            if (packet.isBinary()) {
                frames.add(new BinaryWebSocketFrame(ByteBufAllocator.DEFAULT.buffer().writeBytes(packet.binary())));
            } else {
                frames.add(text(packet.text()));
            }
        }

        assertThat(encode(frames.toArray(WebSocketFrame[]::new))).isEqualTo(payload);
    }
}
