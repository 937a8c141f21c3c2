package dev.herald.socketio.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pre-encoded broadcast bytes are frames a WebSocket client decodes exactly (Netty's own decoder as the client). */
class WebSocketWireTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 1000, 65535, 65536, 200_000})
    void textAndBinaryFramesOfEveryLengthClassDecode(int length) {
        char[] chars = new char[length];
        Arrays.fill(chars, 'x');
        String text = "42" + new String(chars);
        byte[] binary = new byte[length];
        for (int i = 0; i < length; i++) binary[i] = (byte) i;
        List<WebSocketFrame> frames = List.of(
                new TextWebSocketFrame(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)),
                new BinaryWebSocketFrame(Unpooled.wrappedBuffer(binary)));
        ByteBuf wire = WebSocketWire.encode(ByteBufAllocator.DEFAULT, frames);
        frames.forEach(WebSocketFrame::release);

        // The client side: server frames are unmasked.
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(false).allowMaskMismatch(false).maxFramePayloadLength(1 << 20).build()));
        client.writeInbound(wire);
        TextWebSocketFrame first = client.readInbound();
        BinaryWebSocketFrame second = client.readInbound();
        try {
            assertThat(first.isFinalFragment()).isTrue();
            assertThat(first.text()).isEqualTo(text);
            assertThat(ByteBufUtil.getBytes(second.content())).isEqualTo(binary);
            assertThat((Object) client.readInbound()).isNull();
        } finally {
            first.release();
            second.release();
            client.finishAndReleaseAll();
        }
    }
}
