package dev.herald.socketio.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP long-polling: packets queue until the client's GET is pending, then leave as one payload. At most
 * one GET may be pending; a POST carries client packets and is answered {@code ok}.
 *
 * <p>Everything here runs on the session's event loop; the HTTP channels of the requests may belong to
 * other loops, which Netty handles by queueing the writes to them.
 */
final class PollingTransport implements Transport {

    private final EngineIoSession session;
    private final List<WebSocketFrame> queue = new ArrayList<>();
    private long queuedBytes;
    private Channel pendingGet;
    private boolean pendingKeepAlive;
    private GenericFutureListener<Future<? super Void>> pendingCloseListener;
    private boolean closed;

    PollingTransport(EngineIoSession session) {
        this.session = session;
    }

    @Override
    public String name() { return "polling"; }

    boolean hasPendingGet() { return pendingGet != null; }

    /** The open packet, answered on the handshake GET itself. */
    void respondHandshake(Channel channel, boolean keepAlive, String openPacket) {
        respond(channel, keepAlive, Unpooled.copiedBuffer(openPacket, StandardCharsets.UTF_8));
    }

    /** A GET arrived for this session. Returns false when it overlaps a pending one (the caller closes the session). */
    boolean onGet(Channel channel, boolean keepAlive) {
        if (pendingGet != null) return false;
        pendingGet = channel;
        pendingKeepAlive = keepAlive;
        // Like Node: a client that drops its pending GET has gone away.
        pendingCloseListener = f -> session.execute(() -> {
            if (pendingGet == channel) {
                pendingGet = null;
                session.close("poll connection closed prematurely", false);
            }
        });
        channel.closeFuture().addListener(pendingCloseListener);
        if (!queue.isEmpty()) flush();
        return true;
    }

    @Override
    public boolean write(WebSocketFrame frame) {
        if (closed) {
            frame.release();
            return false;
        }
        queue.add(frame);
        queuedBytes += frame.content().readableBytes();
        return true;
    }

    @Override
    public void flush() {
        if (pendingGet == null || queue.isEmpty()) return;
        Channel channel = takePendingGet();
        List<WebSocketFrame> frames = new ArrayList<>(queue);
        queue.clear();
        queuedBytes = 0;
        respond(channel, pendingKeepAlive, PollingPayload.encode(channel.alloc(), frames));
    }

    /** Answers a pending GET, if any, with a single packet (used for noop and close). */
    void answerPendingWith(char packet) {
        if (pendingGet == null) return;
        Channel channel = takePendingGet();
        respond(channel, pendingKeepAlive, Unpooled.copiedBuffer(new byte[] {(byte) packet}));
    }

    private Channel takePendingGet() {
        Channel channel = pendingGet;
        pendingGet = null;
        channel.closeFuture().removeListener(pendingCloseListener);
        pendingCloseListener = null;
        return channel;
    }

    /** Hands the queued frames over to the transport that replaces this one (upgrade). */
    List<WebSocketFrame> drain() {
        List<WebSocketFrame> frames = new ArrayList<>(queue);
        queue.clear();
        queuedBytes = 0;
        return frames;
    }

    @Override
    public long pendingBytes() { return queuedBytes; }

    @Override
    public void close(boolean sendClose) {
        if (closed) return;
        closed = true;
        for (WebSocketFrame frame : queue) frame.release();
        queue.clear();
        queuedBytes = 0;
        if (pendingGet != null) {
            answerPendingWith(sendClose ? PacketType.CLOSE.code() : PacketType.NOOP.code());
        }
    }

    static void respond(Channel channel, boolean keepAlive, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        HttpUtil.setContentLength(response, body.readableBytes());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            channel.writeAndFlush(response, channel.voidPromise());
        } else {
            // Say so: a client that is not told keeps the socket in its pool and loses its next request.
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    static TextWebSocketFrame textFrame(String packet) {
        return new TextWebSocketFrame(Unpooled.copiedBuffer(packet, StandardCharsets.UTF_8));
    }
}
