package dev.herald.socketio.parser;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.util.ArrayList;
import java.util.List;

/**
 * A Socket.IO packet encoded once, ready for any number of connections: the Engine.IO text message (type
 * digit {@code 4} included) and one binary message per attachment. Owns its buffers until {@link #release()}.
 */
public final class EncodedPacket {

    private final ByteBuf text;
    private final List<ByteBuf> attachments;

    EncodedPacket(ByteBuf text, List<ByteBuf> attachments) {
        this.text = text;
        this.attachments = attachments;
    }

    /** The text message, readable, not consumed by callers. */
    public ByteBuf text() { return text; }

    public int attachmentCount() { return attachments.size(); }

    /** Fresh frames sharing this packet's memory (retained duplicates); the caller owns them. */
    public List<WebSocketFrame> frames() {
        List<WebSocketFrame> frames = new ArrayList<>(1 + attachments.size());
        frames.add(new TextWebSocketFrame(text.retainedDuplicate()));
        for (ByteBuf attachment : attachments) frames.add(new BinaryWebSocketFrame(attachment.retainedDuplicate()));
        return frames;
    }

    public void release() {
        text.release();
        for (ByteBuf attachment : attachments) attachment.release();
    }
}
