package dev.herald.socketio.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * A client connection talking bytes to a server-side {@link EmbeddedSocketChannel} that runs the real
 * {@link ServerChannelInitializer} pipeline: requests are encoded by {@link HttpRequestEncoder}, responses decoded
 * and aggregated; after a {@code 101 Switching Protocols} the bytes are WebSocket frames (client frames masked).
 */
final class WireConnection implements AutoCloseable {

    final EmbeddedSocketChannel server;
    private final EngineIoHarness harness;
    private final EmbeddedChannel requestEncoder = new EmbeddedChannel(new HttpRequestEncoder());
    private final EmbeddedChannel responseDecoder =
            new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(16 * 1024 * 1024));
    private final EmbeddedChannel frameEncoder = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
    private final EmbeddedChannel frameDecoder = new EmbeddedChannel(
            new WebSocket13FrameDecoder(false, false, 16 * 1024 * 1024), new WebSocketFrameAggregator(16 * 1024 * 1024));
    private final Queue<Object> received = new ArrayDeque<>();
    private boolean upgraded;

    WireConnection(EngineIoHarness harness) {
        this.harness = harness;
        this.server = harness.track(new EmbeddedSocketChannel());
        server.pipeline().addLast(new ServerChannelInitializer(harness.server, null));
    }

    /** Sends the request's bytes, runs what they triggered, and returns the response, or {@code null}. */
    HttpResult exchange(FullHttpRequest request) {
        assertThat(requestEncoder.writeOutbound(request)).isTrue();
        for (ByteBuf bytes; (bytes = requestEncoder.readOutbound()) != null; ) server.writeInbound(bytes);
        harness.settle();
        return readResponse();
    }

    /** Sends raw bytes as they are (malformed requests). */
    void sendRaw(ByteBuf bytes) {
        server.writeInbound(bytes);
        harness.settle();
    }

    HttpResult readResponse() {
        pump();
        Object next = received.peek();
        if (!(next instanceof FullHttpResponse)) return null;
        received.poll();
        return HttpResult.of((FullHttpResponse) next);
    }

    void send(WebSocketFrame frame) {
        assertThat(frameEncoder.writeOutbound(frame)).isTrue();
        for (ByteBuf bytes; (bytes = frameEncoder.readOutbound()) != null; ) server.writeInbound(bytes);
        harness.settle();
    }

    /** The next frame the server sent, or {@code null}; the caller releases it. */
    WebSocketFrame readFrame() {
        pump();
        Object next = received.peek();
        if (!(next instanceof WebSocketFrame)) return null;
        received.poll();
        return (WebSocketFrame) next;
    }

    /** Decodes what the server wrote so far, switching from HTTP to WebSocket framing after a 101. */
    private void pump() {
        for (Object out; (out = server.readOutbound()) != null; ) {
            if (!(out instanceof ByteBuf bytes)) {
                ReferenceCountUtil.release(out);
                throw new AssertionError("server wrote " + out.getClass().getName() + " instead of bytes");
            }
            if (upgraded) {
                frameDecoder.writeInbound(bytes);
            } else {
                responseDecoder.writeInbound(bytes);
            }
            drainDecoders();
        }
    }

    private void drainDecoders() {
        for (Object in; (in = responseDecoder.readInbound()) != null; ) {
            if (in instanceof FullHttpResponse response) {
                received.add(response);
                if (response.status().code() == 101) upgraded = true;
            } else if (in instanceof ByteBuf rest) {
                // Bytes after the 101 in the same read: the first frames.
                frameDecoder.writeInbound(rest);
            } else {
                ReferenceCountUtil.release(in);
            }
        }
        for (Object in; (in = frameDecoder.readInbound()) != null; ) received.add(in);
    }

    @Override
    public void close() {
        received.forEach(ReferenceCountUtil::release);
        received.clear();
        requestEncoder.finishAndReleaseAll();
        responseDecoder.finishAndReleaseAll();
        frameEncoder.finishAndReleaseAll();
        frameDecoder.finishAndReleaseAll();
    }
}
