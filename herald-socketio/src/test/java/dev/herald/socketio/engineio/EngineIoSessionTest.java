package dev.herald.socketio.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.socketio.SocketIoConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sending side of {@link EngineIoSession}: frame ownership, {@link FanOut}, and the slow-consumer limit. */
class EngineIoSessionTest {

    private static final String RS = "\u001e";

    private EngineIoHarness harness = new EngineIoHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    private static TextWebSocketFrame text(String packet) {
        ByteBuf content = ByteBufAllocator.DEFAULT.buffer();
        content.writeCharSequence(packet, StandardCharsets.UTF_8);
        return new TextWebSocketFrame(content);
    }

    @Test
    void aFrameSentToAClosedSessionIsReleased() {
        EmbeddedChannel connection = harness.connection();
        String sid = harness.openPollingSession(connection);
        EngineIoSession session = harness.server.session(sid);
        session.close("test", false);
        TextWebSocketFrame frame = text("4late");

        session.send(frame);
        harness.settle();

        assertThat(frame.refCnt()).isZero();
    }

    @Test
    void fanOutDeliversOneEncodingToEverySessionAndReleasesIt() {
        EmbeddedChannel first = harness.connection();
        EmbeddedChannel second = harness.connection();
        EmbeddedChannel closed = harness.connection();
        String a = harness.openPollingSession(first);
        String b = harness.openPollingSession(second);
        String c = harness.openPollingSession(closed);
        harness.server.session(c).close("gone", false);
        assertThat(harness.poll(first, a)).isNull();
        TextWebSocketFrame text = text("4news");
        BinaryWebSocketFrame binary = new BinaryWebSocketFrame(ByteBufAllocator.DEFAULT.buffer().writeBytes(new byte[] {1, 2}));
        List<EngineIoSession> targets = List.of(harness.server.session(a), harness.server.session(b),
                harness.handlers.get(c).session);

        FanOut.deliver(targets, new ArrayList<>(List.<WebSocketFrame>of(text, binary)));
        harness.settle();

        assertThat(harness.readResponse(first).body()).isEqualTo("4news" + RS + "bAQI=");
        assertThat(harness.poll(second, b).body()).isEqualTo("4news" + RS + "bAQI=");
        assertThat(text.refCnt()).isZero();
        assertThat(binary.refCnt()).isZero();
    }

    @Test
    void aPollingSessionThatDoesNotPollIsClosedAsASlowConsumer() {
        harness.close();
        harness = new EngineIoHarness(SocketIoConfig.defaults().withWriteBufferWaterMark(8, 16).withMaxPendingBytes(32));
        EmbeddedChannel connection = harness.connection();
        String sid = harness.openPollingSession(connection);
        EngineIoSession session = harness.server.session(sid);
        List<TextWebSocketFrame> frames = new ArrayList<>();

        for (int i = 0; i < 5; i++) {
            TextWebSocketFrame frame = text("4" + "x".repeat(9)); // 10 bytes each
            frames.add(frame);
            session.send(frame);
        }
        harness.settle();

        assertThat(session.isOpen()).isFalse();
        assertThat(harness.handler(sid).closeReasons).containsExactly("slow consumer");
        assertThat(frames).allSatisfy(frame -> assertThat(frame.refCnt()).as("queued or refused, then released").isZero());
    }

    @Test
    void aWebSocketSessionWhoseWritesPileUpIsClosedAsASlowConsumer() {
        harness.close();
        harness = new EngineIoHarness(SocketIoConfig.defaults().withWriteBufferWaterMark(8, 16).withMaxPendingBytes(32));
        EmbeddedChannel channel = harness.track(new EmbeddedChannel());
        EngineIoSession session = new EngineIoSession("slow-ws", harness.server, channel.eventLoop(), Map.of(),
                new DefaultHttpHeaders(), channel.remoteAddress());
        WebSocketTransport transport = new WebSocketTransport(channel);
        // As after a handshake: the frame handler also takes the failures of the writes the close abandons.
        channel.pipeline().addLast(new WebSocketFrameHandler(session, transport));
        harness.server.register(session);
        session.open(transport, harness.server.handlerFor(session));

        // Queued without a flush, as when the peer stops reading and the channel stays unwritable.
        for (int i = 0; i < 5; i++) session.enqueue(text("4" + "x".repeat(9)));

        assertThat(session.isOpen()).isFalse();
        assertThat(harness.handler(session.id()).closeReasons).containsExactly("slow consumer");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void manyConnectionsShareTheTotalOutboundBudget() {
        harness.close();
        harness = new EngineIoHarness(SocketIoConfig.defaults().withWriteBufferWaterMark(8, 16)
                .withMaxPendingBytes(64 * 1024).withMaxPendingBytesTotal(64 * 1024));
        List<EngineIoSession> sessions = new ArrayList<>();
        sessions.add(unflushedWebSocketSession("ws-0"));
        assertThat(harness.server.pendingLimit()).as("alone: maxPendingBytes").isEqualTo(64 * 1024);
        for (int i = 1; i < 16; i++) sessions.add(unflushedWebSocketSession("ws-" + i));
        assertThat(harness.server.pendingLimit()).as("16 share 64 KiB, but never less than 8 KiB").isEqualTo(8 * 1024);
        for (int i = 4; i < 16; i++) sessions.get(i).close("gone", false);
        assertThat(harness.server.pendingLimit()).as("4 share 64 KiB").isEqualTo(16 * 1024);

        EngineIoSession slow = sessions.get(0);
        int queued = 0;
        while (slow.isOpen() && queued < 100) {
            slow.enqueue(text("4" + "x".repeat(1023))); // 1 KiB each, never flushed
            queued++;
        }

        assertThat(slow.isOpen()).isFalse();
        assertThat(queued).as("closed past its 16 KiB share, far below maxPendingBytes").isBetween(15, 18);
        assertThat(harness.handler(slow.id()).closeReasons).containsExactly("slow consumer");
        assertThat(harness.server.slowConsumersClosed()).isEqualTo(1);
        assertThat(sessions.subList(1, 4)).allSatisfy(other -> assertThat(other.isOpen()).isTrue());
    }

    /** A WebSocket session whose writes are queued and not flushed, as when the peer stops reading. */
    private EngineIoSession unflushedWebSocketSession(String id) {
        EmbeddedChannel channel = harness.track(new EmbeddedChannel());
        EngineIoSession session = new EngineIoSession(id, harness.server, channel.eventLoop(), Map.of(),
                new DefaultHttpHeaders(), channel.remoteAddress());
        WebSocketTransport transport = new WebSocketTransport(channel);
        channel.pipeline().addLast(new WebSocketFrameHandler(session, transport));
        harness.server.register(session);
        session.open(transport, harness.server.handlerFor(session));
        return session;
    }
}
