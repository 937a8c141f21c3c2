package dev.herald.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One Socket.IO v5 client over Engine.IO v4 on a raw WebSocket ({@code ?EIO=4&transport=websocket}): answers the
 * open packet with {@code 40}, the server's pings with {@code 3}, optionally subscribes to its channel the way
 * laravel-echo does ({@code 42<id>["subscribe",{"channel":...}]}, acknowledged with {@code 43<id>[{...,"ok":true}]}),
 * and reads every event without building strings: the event name is compared byte by byte with the one this
 * connection expects ({@code <channel>:bench.tick}), and the publish time and the measured flag are parsed out of
 * the data ({@code {"t":<µs>,"m":0|1,...}}).
 */
final class BenchConnection extends ChannelInboundHandlerAdapter {

    private static final byte[] T_KEY = "\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] M_KEY = "\"m\":".getBytes(StandardCharsets.US_ASCII);

    final int index;
    private final byte[] expectedEvent;
    private final String subscribeTo;
    private final ClientStats stats;
    final CompletableFuture<BenchConnection> ready = new CompletableFuture<>();
    final long startedNanos = System.nanoTime();
    volatile long readyNanos;
    private volatile Channel channel;
    private volatile boolean closing;

    /**
     * @param channelName the channel whose events are this connection's own
     * @param subscribe   whether to subscribe to it (Herald) or just listen (the reference sends everything to all)
     */
    BenchConnection(int index, String channelName, boolean subscribe, ClientStats stats) {
        this.index = index;
        this.expectedEvent = (channelName + ":" + Bench.EVENT).getBytes(StandardCharsets.UTF_8);
        this.subscribeTo = subscribe ? channelName : null;
        this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame frame) onText(ctx, frame.content());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onText(ChannelHandlerContext ctx, ByteBuf b) {
        int r = b.readerIndex();
        int end = b.writerIndex();
        if (end - r < 1) return;
        byte type = b.getByte(r);
        switch (type) {
            case '4' -> {
                if (end - r < 2) return;
                byte sio = b.getByte(r + 1);
                switch (sio) {
                    case '2' -> onEvent(b, r + 2, end);
                    case '0' -> onConnected(ctx);
                    case '3' -> onAck(b);
                    case '4' -> ready.completeExceptionally(new IllegalStateException("connect refused: " + b.toString(StandardCharsets.UTF_8)));
                    default -> { }
                }
            }
            case '2' -> ctx.writeAndFlush(new TextWebSocketFrame("3"));
            case '0' -> ctx.writeAndFlush(new TextWebSocketFrame("40"));
            default -> { }
        }
    }

    private void onConnected(ChannelHandlerContext ctx) {
        if (subscribeTo == null) {
            markReady();
        } else {
            ctx.writeAndFlush(new TextWebSocketFrame("421[\"subscribe\",{\"channel\":\"" + subscribeTo + "\"}]"));
        }
    }

    private void onAck(ByteBuf b) {
        String ack = b.toString(StandardCharsets.UTF_8);
        if (ack.contains("\"ok\":true")) markReady();
        else ready.completeExceptionally(new IllegalStateException("subscription refused: " + ack));
    }

    private void markReady() {
        readyNanos = System.nanoTime();
        ready.complete(this);
    }

    /** {@code ["<name>",{"t":...,"m":...,...}]} from {@code from}. */
    private void onEvent(ByteBuf b, int from, int end) {
        long now = System.nanoTime() / 1000;
        stats.frames.increment();
        if (end - from < 3 || b.getByte(from) != '[' || b.getByte(from + 1) != '"') {
            stats.unparsable.increment();
            return;
        }
        int nameStart = from + 2;
        int nameEnd = b.indexOf(nameStart, end, (byte) '"');
        if (nameEnd < 0) {
            stats.unparsable.increment();
            return;
        }
        int t = find(b, nameEnd, end, T_KEY);
        int m = t < 0 ? -1 : find(b, t, end, M_KEY);
        if (m < 0) {
            stats.unparsable.increment();
            return;
        }
        if (b.getByte(m) != '1') return; // warm-up
        if (!sameName(b, nameStart, nameEnd)) {
            stats.foreign.increment();
            return;
        }
        long published = parseLong(b, t, end);
        stats.delivered.increment();
        stats.deliveredPerConnection.incrementAndGet(index);
        stats.latency.recordValue(Math.max(0, now - published));
    }

    private boolean sameName(ByteBuf b, int start, int end) {
        if (end - start != expectedEvent.length) return false;
        for (int i = 0; i < expectedEvent.length; i++) {
            if (b.getByte(start + i) != expectedEvent[i]) return false;
        }
        return true;
    }

    /** Index just after {@code key} in {@code [from, end)}, or -1. */
    private static int find(ByteBuf b, int from, int end, byte[] key) {
        outer:
        for (int i = from; i <= end - key.length; i++) {
            for (int k = 0; k < key.length; k++) {
                if (b.getByte(i + k) != key[k]) continue outer;
            }
            return i + key.length;
        }
        return -1;
    }

    private static long parseLong(ByteBuf b, int from, int end) {
        long v = 0;
        for (int i = from; i < end; i++) {
            byte c = b.getByte(i);
            if (c < '0' || c > '9') break;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            ready.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!closing) {
            if (ready.isDone() && !ready.isCompletedExceptionally()) stats.unexpectedCloses.increment();
            ready.completeExceptionally(new IllegalStateException("connection closed"));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ready.completeExceptionally(cause);
        ctx.close();
    }

    /** Closes the connection; counted as expected. */
    void close() {
        closing = true;
        Channel c = channel;
        if (c != null) c.close();
    }
}
