package dev.herald.socketio.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.socketio.SocketIoConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EngineIoServer} behind {@link EngineIoRequestHandler} (plus the 404 fallback) in
 * {@link EmbeddedChannel}s that exchange {@code FullHttpRequest}/{@code FullHttpResponse} objects, one channel per
 * client connection. Time is frozen on every channel and advanced by {@link #advance}; tasks run until none is due.
 * {@link #close()} checks that no exception reached the end of a pipeline, then releases everything.
 */
final class EngineIoHarness implements AutoCloseable {

    final SocketIoConfig config;
    final EngineIoServer server;
    final EngineIoRequestHandler handler;
    final Map<String, RecordingSessionHandler> handlers = new ConcurrentHashMap<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    EngineIoHarness() {
        this(SocketIoConfig.defaults());
    }

    EngineIoHarness(SocketIoConfig config) {
        this.config = config;
        this.server = new EngineIoServer(config, session -> {
            RecordingSessionHandler recorder = new RecordingSessionHandler(session);
            handlers.put(session.id(), recorder);
            return recorder;
        });
        this.handler = new EngineIoRequestHandler(server);
    }

    /** Serves an existing engine (a SocketIoServer's); {@link #handler(String)} does not apply. */
    EngineIoHarness(EngineIoServer server) {
        this.config = server.config();
        this.server = server;
        this.handler = new EngineIoRequestHandler(server);
    }

    /** A new client connection. */
    EmbeddedChannel connection() {
        EmbeddedChannel channel = new EmbeddedChannel(handler, new NotFoundHandler());
        channel.freezeTime();
        channels.add(channel);
        return channel;
    }

    /** Tracks a channel built elsewhere, so that {@link #settle()}, {@link #advance} and {@link #close()} cover it. */
    <C extends EmbeddedChannel> C track(C channel) {
        channel.freezeTime();
        channels.add(channel);
        return channel;
    }

    RecordingSessionHandler handler(String sid) {
        RecordingSessionHandler recorder = handlers.get(sid);
        assertThat(recorder).as("handler of session %s", sid).isNotNull();
        return recorder;
    }

    // ------------------------------------------------------------------ requests

    /** A request whose body lives in a pooled buffer, so that failing to release it is a reported leak. */
    static FullHttpRequest request(HttpMethod method, String uri, String body) {
        ByteBuf content = body == null || body.isEmpty()
                ? ByteBufAllocator.DEFAULT.buffer(0)
                : ByteBufUtil.writeUtf8(ByteBufAllocator.DEFAULT, body);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, content);
        request.headers().set(HttpHeaderNames.HOST, "localhost");
        if (body != null) {
            HttpUtil.setContentLength(request, content.readableBytes());
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=UTF-8");
        }
        return request;
    }

    /** A WebSocket handshake request (RFC 6455) for the Engine.IO path. */
    static FullHttpRequest webSocketRequest(String query) {
        FullHttpRequest request = request(HttpMethod.GET, uri(query), null);
        request.headers()
                .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==")
                .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
        return request;
    }

    static String uri(String query) {
        return "/socket.io/?" + query;
    }

    /** Writes the request, runs what it triggered, and returns the response, or {@code null} when none was sent. */
    HttpResult exchange(EmbeddedChannel channel, FullHttpRequest request) {
        channel.writeInbound(request);
        settle();
        return readResponse(channel);
    }

    HttpResult get(EmbeddedChannel channel, String query) {
        return exchange(channel, request(HttpMethod.GET, uri(query), null));
    }

    HttpResult post(EmbeddedChannel channel, String query, String body) {
        return exchange(channel, request(HttpMethod.POST, uri(query), body));
    }

    HttpResult poll(EmbeddedChannel channel, String sid) {
        return get(channel, "EIO=4&transport=polling&sid=" + sid);
    }

    HttpResult push(EmbeddedChannel channel, String sid, String payload) {
        return post(channel, "EIO=4&transport=polling&sid=" + sid, payload);
    }

    /** The next response written to the channel, or {@code null}. */
    HttpResult readResponse(EmbeddedChannel channel) {
        Object out = channel.readOutbound();
        if (out == null) return null;
        if (!(out instanceof FullHttpResponse response)) {
            ReferenceCountUtil.release(out);
            throw new AssertionError("expected a FullHttpResponse, got " + out.getClass().getName());
        }
        return HttpResult.of(response);
    }

    /** Opens a polling session on the connection and returns its id. */
    String openPollingSession(EmbeddedChannel channel) {
        HttpResult open = get(channel, "EIO=4&transport=polling");
        assertThat(open.status()).as("handshake: %s", open.body()).isEqualTo(200);
        return open.openPacket().get("sid").textValue();
    }

    // ------------------------------------------------------------------ time and tasks

    /** Runs the tasks of every connection until none is due (a task may queue another, on any connection). */
    void settle() {
        for (int round = 0; round < 100; round++) {
            boolean ran = false;
            for (EmbeddedChannel channel : List.copyOf(channels)) {
                if (channel.hasPendingTasks()) {
                    channel.runPendingTasks();
                    ran = true;
                }
            }
            if (!ran) return;
        }
        throw new AssertionError("tasks keep scheduling tasks");
    }

    /** Moves the clock of every connection forward and runs what became due. */
    void advance(Duration duration) {
        for (EmbeddedChannel channel : channels) channel.advanceTimeBy(duration.toNanos(), TimeUnit.NANOSECONDS);
        for (EmbeddedChannel channel : channels) channel.runScheduledPendingTasks();
        settle();
    }

    // ------------------------------------------------------------------ end

    /** Fails when an exception reached the end of a pipeline; then closes every session and connection. */
    @Override
    public void close() {
        try {
            for (EmbeddedChannel channel : channels) channel.checkException();
        } finally {
            server.closeAll("test end");
            settle();
            for (EmbeddedChannel channel : channels) channel.finishAndReleaseAll();
        }
    }
}
