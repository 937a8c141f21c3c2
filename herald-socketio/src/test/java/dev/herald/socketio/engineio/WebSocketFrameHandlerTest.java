package dev.herald.socketio.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link WebSocketFrameHandler} alone in an EmbeddedChannel: frames in (pooled, so a frame it forgets to release
 * is a reported leak), Engine.IO packets to the session, and the upgrade probe of a polling session.
 */
class WebSocketFrameHandlerTest {

    private final EngineIoHarness harness = new EngineIoHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    /** A WebSocket connection of {@code session} whose pipeline holds only its frame handler. */
    private record WebSocketConnection(EmbeddedChannel channel, WebSocketTransport transport) {}

    private WebSocketConnection webSocket(EmbeddedChannel channel, EngineIoSession session) {
        WebSocketTransport transport = new WebSocketTransport(channel);
        channel.pipeline().addLast(new WebSocketFrameHandler(session, transport));
        return new WebSocketConnection(channel, transport);
    }

    private static TextWebSocketFrame text(String packet) {
        ByteBuf content = ByteBufAllocator.DEFAULT.buffer();
        content.writeCharSequence(packet, StandardCharsets.UTF_8);
        return new TextWebSocketFrame(content);
    }

    private static BinaryWebSocketFrame binary(byte... bytes) {
        return new BinaryWebSocketFrame(ByteBufAllocator.DEFAULT.buffer().writeBytes(bytes));
    }

    private static String readText(EmbeddedChannel channel) {
        Object out = channel.readOutbound();
        assertThat(out).isInstanceOf(TextWebSocketFrame.class);
        try {
            return ((TextWebSocketFrame) out).text();
        } finally {
            ((TextWebSocketFrame) out).release();
        }
    }

    @Nested
    class Transport {

        private EngineIoSession session;
        private RecordingSessionHandler handler;
        private EmbeddedChannel channel;

        @BeforeEach
        void openWebSocketSession() {
            channel = harness.track(new EmbeddedChannel());
            // The session lives on the connection's loop, as after a WebSocket handshake.
            session = new EngineIoSession("ws-session-id", harness.server, channel.eventLoop(), Map.of(),
                    new DefaultHttpHeaders(), channel.remoteAddress());
            WebSocketConnection connection = webSocket(channel, session);
            harness.server.register(session);
            session.open(connection.transport(), harness.server.handlerFor(session));
            handler = harness.handler(session.id());
        }

        @Test
        void aTextFrameIsAPacket() {
            TextWebSocketFrame frame = text("4hello");

            channel.writeInbound(frame);

            assertThat(handler.messages).containsExactly("hello");
            assertThat(frame.refCnt()).as("frame released").isZero();
        }

        @Test
        void aBinaryFrameIsABinaryMessage() {
            BinaryWebSocketFrame frame = binary((byte) 1, (byte) 2);

            channel.writeInbound(frame);

            assertThat(handler.binaries).containsExactly(new byte[] {1, 2});
            assertThat(frame.refCnt()).isZero();
        }

        @Test
        void aMalformedPacketClosesTheSessionAndTheConnection() {
            channel.writeInbound(text("abc"));
            harness.settle();

            assertThat(session.isOpen()).isFalse();
            assertThat(handler.closeReasons).containsExactly("parse error");
            assertThat(channel.isOpen()).isFalse();
            assertThat(harness.server.sessionCount()).isZero();
        }

        @Test
        void anEmptyTextFrameIsMalformed() {
            channel.writeInbound(text(""));

            assertThat(handler.closeReasons).containsExactly("parse error");
        }

        @Test
        void closingTheSessionWithoutClosePacketClosesTheConnection() {
            session.close("test", false);
            harness.settle();

            assertThat(channel.isOpen()).isFalse();
            assertThat((Object) channel.readOutbound()).isNull();
            assertThat(handler.closeReasons).containsExactly("test");
        }

        @Test
        void aPingFrameIsAnsweredWithItsPayload() {
            channel.writeInbound(new PingWebSocketFrame(ByteBufAllocator.DEFAULT.buffer().writeBytes(new byte[] {9})));

            Object pong = channel.readOutbound();
            assertThat(pong).isInstanceOf(PongWebSocketFrame.class);
            assertThat(ByteBufUtil.getBytes(((PongWebSocketFrame) pong).content())).containsExactly(9);
            ((PongWebSocketFrame) pong).release();
        }

        @Test
        void aCloseFrameClosesTheConnectionAndTheSession() {
            channel.writeInbound(new CloseWebSocketFrame());
            harness.settle();

            assertThat(channel.isOpen()).isFalse();
            assertThat(handler.closeReasons).containsExactly("transport close");
        }

        @Test
        void anExceptionClosesTheConnectionAndStopsThere() {
            channel.pipeline().fireExceptionCaught(new IOException("connection reset"));
            harness.settle();

            assertThat(channel.isOpen()).isFalse();
            assertThat(handler.closeReasons).containsExactly("transport close");
            channel.checkException();
        }

        @Test
        void sentPacketsLeaveAsFrames() {
            session.sendMessage("one");
            session.sendBinary(new byte[] {3});
            harness.settle();

            assertThat(readText(channel)).isEqualTo("4one");
            Object binary = channel.readOutbound();
            assertThat(binary).isInstanceOf(BinaryWebSocketFrame.class);
            assertThat(ByteBufUtil.getBytes(((BinaryWebSocketFrame) binary).content())).containsExactly(3);
            ((BinaryWebSocketFrame) binary).release();
        }
    }

    @Nested
    class Probe {

        private EmbeddedChannel polling;
        private String sid;
        private EngineIoSession session;
        private EmbeddedChannel candidate;

        @BeforeEach
        void startProbe() {
            polling = harness.connection();
            sid = harness.openPollingSession(polling);
            session = harness.server.session(sid);
            WebSocketConnection connection = webSocket(harness.track(new EmbeddedChannel()), session);
            candidate = connection.channel();
            session.beginUpgrade(connection.transport());
        }

        @Test
        void probeThenUpgrade() {
            candidate.writeInbound(text("2probe"));

            assertThat(readText(candidate)).isEqualTo("3probe");
            assertThat(session.isUpgrading()).isTrue();
            assertThat(harness.poll(polling, sid).body()).as("a GET during the probe: noop at once").isEqualTo("6");

            candidate.writeInbound(text("5"));

            assertThat(session.isUpgraded()).isTrue();
            assertThat(session.isUpgrading()).isFalse();
            assertThat(session.transportName()).isEqualTo("websocket");
            candidate.writeInbound(text("4now"));
            assertThat(harness.handler(sid).messages).containsExactly("now");
        }

        @Test
        void binaryOnTheCandidateIsIgnored() {
            BinaryWebSocketFrame frame = binary((byte) 1);

            candidate.writeInbound(frame);

            assertThat(harness.handler(sid).binaries).isEmpty();
            assertThat(frame.refCnt()).isZero();
            assertThat(session.isUpgrading()).isTrue();
        }

        @Test
        void theCandidateClosingEndsTheProbeOnly() {
            candidate.close();
            harness.settle();

            assertThat(session.isUpgrading()).isFalse();
            assertThat(session.isOpen()).isTrue();
            assertThat(session.transportName()).isEqualTo("polling");
        }

        @Test
        void aSecondCandidateIsRefusedWhileTheFirstProbes() {
            WebSocketConnection other = webSocket(harness.track(new EmbeddedChannel()), session);

            session.beginUpgrade(other.transport());

            assertThat(other.channel().isOpen()).isFalse();
            assertThat(candidate.isOpen()).isTrue();
        }
    }
}
