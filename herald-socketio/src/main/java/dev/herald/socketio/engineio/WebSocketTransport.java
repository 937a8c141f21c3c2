package dev.herald.socketio.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.channel.ChannelFutureListener;


/**
 * WebSocket transport: frames go to the channel as they are; the session flushes once per batch (see
 * EngineIoSession and FanOut), so any number of packets written in the same loop turn cost one syscall.
 */
final class WebSocketTransport implements Transport {

    private final Channel channel;

    WebSocketTransport(Channel channel) {
        this.channel = channel;
    }

    Channel channel() { return channel; }

    @Override
    public String name() { return "websocket"; }

    @Override
    public boolean write(WebSocketFrame frame) {
        if (!channel.isActive()) {
            frame.release();
            return false;
        }
        channel.write(frame, channel.voidPromise());
        return true;
    }

    /** Writes bytes that already are WebSocket frames (they pass the frame encoder untouched); no flush. */
    boolean writeEncoded(ByteBuf wire) {
        if (!channel.isActive()) {
            wire.release();
            return false;
        }
        channel.write(wire, channel.voidPromise());
        return true;
    }

    @Override
    public void flush() {
        // Off the channel's loop (a session upgraded from polling runs on the polling connection's loop), the
        // writes were queued as tasks on the channel's loop; channel.flush() queues the flush behind them, so it
        // covers every write made so far. (A shared "flush already scheduled" flag would miss writes queued after
        // that flush task.)
        channel.flush();
    }

    @Override
    public long pendingBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    @Override
    public void close(boolean sendClose) {
        if (!channel.isActive()) return;
        if (sendClose) {
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }
}
