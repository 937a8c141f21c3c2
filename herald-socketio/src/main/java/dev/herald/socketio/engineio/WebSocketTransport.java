package dev.herald.socketio.engineio;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.channel.ChannelFutureListener;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * WebSocket transport: frames go to the channel as they are. Flushes are deferred to one task on the
 * channel's event loop, so any number of packets written in the same loop turn cost one syscall.
 */
final class WebSocketTransport implements Transport {

    private final Channel channel;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final Runnable flushTask;

    WebSocketTransport(Channel channel) {
        this.channel = channel;
        this.flushTask = () -> {
            flushScheduled.set(false);
            channel.flush();
        };
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

    @Override
    public void flush() {
        if (channel.eventLoop().inEventLoop()) {
            channel.flush();
        } else if (flushScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(flushTask);
        }
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
