package dev.herald.socketio.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.List;

/**
 * Server-to-client WebSocket frames encoded to their wire bytes once, for a broadcast: every WebSocket target
 * then gets a retained duplicate of the same bytes, and Netty's frame encoder (which would copy each small
 * payload again per connection) is not involved. Server frames are unmasked, so the bytes are the same for
 * every connection (RFC 6455 §5.2: FIN, opcode, length, payload).
 */
final class WebSocketWire {

    /** The Engine.IO ping packet {@code 2} as a complete text frame; shared, never released (write duplicates). */
    static final ByteBuf PING = shared(new TextWebSocketFrame("2"));

    private WebSocketWire() {}

    /** A constant frame's wire bytes, encoded by {@link #encode} once, read-only and never released. */
    private static ByteBuf shared(WebSocketFrame frame) {
        try {
            return Unpooled.unreleasableBuffer(encode(UnpooledByteBufAllocator.DEFAULT, List.of(frame)).asReadOnly());
        } finally {
            frame.release();
        }
    }

    /** The frames' wire bytes, concatenated; the frames stay owned by the caller. */
    static ByteBuf encode(ByteBufAllocator alloc, List<WebSocketFrame> frames) {
        int size = 0;
        for (WebSocketFrame frame : frames) size += frame.content().readableBytes() + 10;
        ByteBuf out = alloc.directBuffer(size);
        for (WebSocketFrame frame : frames) {
            int opcode = frame instanceof TextWebSocketFrame ? 0x1 : frame instanceof BinaryWebSocketFrame ? 0x2 : -1;
            if (opcode < 0) {
                out.release();
                throw new IllegalArgumentException("only text and binary frames are broadcast: " + frame);
            }
            ByteBuf payload = frame.content();
            int length = payload.readableBytes();
            out.writeByte(0x80 | opcode);
            if (length <= 125) {
                out.writeByte(length);
            } else if (length <= 0xFFFF) {
                out.writeByte(126);
                out.writeShort(length);
            } else {
                out.writeByte(127);
                out.writeLong(length);
            }
            out.writeBytes(payload, payload.readerIndex(), length);
        }
        return out;
    }
}
