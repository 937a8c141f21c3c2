package dev.herald.socketio.engineio;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound side of a WebSocket connection of a session (its transport, or a candidate probing an upgrade).
 * Frames are copied out and handed to the session's event loop in arrival order.
 */
final class WebSocketFrameHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);

    private final EngineIoSession session;
    private final WebSocketTransport transport;

    WebSocketFrameHandler(EngineIoSession session, WebSocketTransport transport) {
        this.session = session;
        this.transport = transport;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame text) {
                String packet = text.text();
                session.execute(() -> session.onWebSocketText(transport, packet));
            } else if (msg instanceof BinaryWebSocketFrame binary) {
                byte[] data = ByteBufUtil.getBytes(binary.content());
                session.execute(() -> session.onWebSocketBinary(transport, data));
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame) {
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.execute(() -> session.onWebSocketClosed(transport));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("websocket of session {} failed: {}", session.id(), cause.toString());
        ctx.close();
    }
}
