package dev.herald.socketio.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.herald.socketio.SocketIoConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FanOut} when the server itself falls behind: broadcasts queue up on an event loop that is busy (here:
 * blocked by the test). Past {@code maxLoopBacklogBytes} the sessions concerned are closed, never fed a later
 * event after missing an earlier one; past {@code maxBroadcastLag} the loop sheds half of its sessions; every
 * buffer is released.
 */
class FanOutOverloadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final CountDownLatch unblock = new CountDownLatch(1);
    private final Map<EngineIoSession, EmbeddedChannel> sessionChannels = new ConcurrentHashMap<>();
    private EngineIoHarness harness;

    @AfterEach
    void stop() throws Exception {
        unblock.countDown();
        // On the sessions' loop, which is where their closes run.
        if (harness != null) loop.submit(harness::close).get(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }

    @Test
    void aBroadcastPastTheLoopBacklogShedsItsSessionsAfterTheQueuedOnes() {
        harness = new EngineIoHarness(SocketIoConfig.defaults().withMaxLoopBacklogBytes(64 * 1024));
        List<EngineIoSession> sessions = List.of(webSocketSession("a"), webSocketSession("b"));
        SessionGroup targets = new SessionGroup(sessions, List.of("socket-a", "socket-b"));
        blockLoop();

        // 1,000 bytes + overhead each: 61 fit in 64 KiB; the 62nd does not, nor do those after it.
        int sent = 80;
        for (int i = 0; i < sent; i++) FanOut.deliver(List.of(targets), null, frame(i, 1000));
        assertThat(harness.server.backlog(loop).bytes()).isLessThanOrEqualTo(64 * 1024);
        unblock.countDown();

        for (EngineIoSession session : sessions) {
            await().atMost(WAIT).until(() -> !harness.handler(session.id()).closeReasons.isEmpty());
            assertThat(harness.handler(session.id()).closeReasons).singleElement().asString()
                    .startsWith("server overloaded: event loop backlog over 65536 bytes");
        }
        assertThat(harness.server.overloadShed()).isEqualTo(2);
        assertThat(harness.server.backlog(loop).bytes()).isZero();
        for (EngineIoSession session : sessions) {
            assertThat(sequenceNumbers(session)).as("what %s received before it was closed: all, in order", session.id())
                    .containsExactlyElementsOf(range(61));
        }
    }

    @Test
    void lateBroadcastsShedHalfOfTheLoopsSessionsOncePerBacklogAndStillReachTheOthers() {
        harness = new EngineIoHarness(SocketIoConfig.defaults().withMaxBroadcastLag(Duration.ofNanos(1)));
        List<EngineIoSession> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) sessions.add(webSocketSession("s" + i));
        SessionGroup targets = new SessionGroup(sessions, List.of("a", "b", "c", "d"));
        blockLoop();

        // Both wait (> 1 ns): the first sheds half; the second was queued before that shed, so it sheds nothing.
        FanOut.deliver(List.of(targets), null, frame(0, 10));
        FanOut.deliver(List.of(targets), null, frame(1, 10));
        unblock.countDown();

        await().atMost(WAIT).until(() -> harness.server.overloadShed() == 2);
        List<EngineIoSession> survivors = sessions.stream().filter(EngineIoSession::isOpen).toList();
        assertThat(survivors).hasSize(2);
        for (EngineIoSession survivor : survivors) {
            await().atMost(WAIT).until(() -> sequenceNumbers(survivor).size() == 2);
            assertThat(sequenceNumbers(survivor)).as("late, but not lost").containsExactly(0, 1);
        }
        for (EngineIoSession shed : sessions) {
            if (survivors.contains(shed)) continue;
            assertThat(harness.handler(shed.id()).closeReasons).singleElement().asString()
                    .startsWith("server overloaded: broadcasts reach their event loop");
            assertThat(sequenceNumbers(shed)).isEmpty();
        }

        // Queued after the shed and late again: the loop halves once more.
        FanOut.deliver(List.of(targets), null, frame(2, 10));
        await().atMost(WAIT).until(() -> harness.server.overloadShed() == 3);
        assertThat(sessions.stream().filter(EngineIoSession::isOpen)).hasSize(1);
    }

    @Test
    void aBroadcastInTimeLeavesOutTheExceptedTagOnly() {
        harness = new EngineIoHarness(SocketIoConfig.defaults());
        EngineIoSession sender = webSocketSession("sender");
        EngineIoSession other = webSocketSession("other");
        SessionGroup targets = new SessionGroup(List.of(sender, other), List.of("socket-sender", "socket-other"));

        FanOut.deliver(List.of(targets), "socket-sender", frame(7, 10));

        await().atMost(WAIT).until(() -> sequenceNumbers(other).size() == 1);
        assertThat(sequenceNumbers(other)).containsExactly(7);
        assertThat(sequenceNumbers(sender)).isEmpty();
        assertThat(harness.server.overloadShed()).isZero();
    }

    @Test
    void aLoopWorkingThroughABacklogFlushesEveryFewBroadcastsNotOnlyAtTheEndOfItsIteration() throws Exception {
        harness = new EngineIoHarness(SocketIoConfig.defaults());
        EngineIoSession session = webSocketSession("busy");
        SessionGroup targets = new SessionGroup(List.of(session), List.of("socket-busy"));
        EmbeddedChannel channel = sessionChannels.get(session);
        blockLoop();

        int first = FanOut.FLUSH_AFTER_DELIVERIES + 1;
        for (int i = 0; i < first; i++) FanOut.deliver(List.of(targets), null, frame(i, 10));
        // Runs in the same loop iteration, after those deliveries and before the next ones.
        java.util.concurrent.Future<Integer> flushedSoFar = loop.submit(() -> channel.outboundMessages().size());
        for (int i = first; i < 40; i++) FanOut.deliver(List.of(targets), null, frame(i, 10));
        unblock.countDown();

        assertThat(flushedSoFar.get(10, TimeUnit.SECONDS)).isEqualTo(FanOut.FLUSH_AFTER_DELIVERIES);
        await().atMost(WAIT).until(() -> sequenceNumbers(session).size() == 40);
        assertThat(sequenceNumbers(session)).containsExactlyElementsOf(range(40));
    }

    @Test
    void aGroupNeedsSessionsOfOneLoopAndATagEach() {
        harness = new EngineIoHarness(SocketIoConfig.defaults());
        EngineIoSession a = webSocketSession("a");
        assertThat(catchThrowable(() -> new SessionGroup(List.of(), List.of())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> new SessionGroup(List.of(a), List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one tag per session");
    }

    // ------------------------------------------------------------------ helpers

    /** A WebSocket session owned by {@link #loop}, writing into an embedded channel (read by the test). */
    private EngineIoSession webSocketSession(String id) {
        EmbeddedChannel channel = harness.track(new EmbeddedChannel());
        EngineIoSession session = new EngineIoSession(id, harness.server, loop, Map.of(), new DefaultHttpHeaders(),
                channel.remoteAddress());
        WebSocketTransport transport = new WebSocketTransport(channel);
        channel.pipeline().addLast(new WebSocketFrameHandler(session, transport));
        harness.server.register(session);
        session.open(transport, harness.server.handlerFor(session));
        sessionChannels.put(session, channel);
        return session;
    }

    private void blockLoop() {
        CountDownLatch blocked = new CountDownLatch(1);
        loop.execute(() -> {
            blocked.countDown();
            try {
                unblock.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(WAIT).until(() -> blocked.getCount() == 0);
    }

    /** A text frame {@code 4<seq>:<padding>} of about {@code size} bytes. */
    private static List<WebSocketFrame> frame(int seq, int size) {
        String head = "4" + seq + ":";
        ByteBuf content = ByteBufAllocator.DEFAULT.buffer();
        content.writeCharSequence(head + "x".repeat(Math.max(0, size - head.length())), StandardCharsets.UTF_8);
        return new ArrayList<>(List.of(new TextWebSocketFrame(content)));
    }

    /** The sequence numbers of the frames written to a session's channel so far (read on the loop). */
    private List<Integer> sequenceNumbers(EngineIoSession session) {
        EmbeddedChannel channel = sessionChannels.get(session);
        List<Integer> seen = new ArrayList<>();
        try {
            loop.submit(() -> {
                for (Object message : channel.outboundMessages()) {
                    ByteBuf wire = (ByteBuf) message;
                    int length = wire.getByte(wire.readerIndex() + 1) & 0x7F;
                    int header = length == 126 ? 4 : length == 127 ? 10 : 2;
                    String text = wire.toString(wire.readerIndex() + header, wire.readableBytes() - header, StandardCharsets.UTF_8);
                    seen.add(Integer.parseInt(text.substring(1, text.indexOf(':'))));
                }
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return seen;
    }

    private static List<Integer> range(int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) all.add(i);
        return all;
    }
}
