package dev.herald.socketio.engineio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The Engine.IO v4 long-polling payload: packets separated by the record separator {@code \x1e}, binary
 * packets as {@code b<base64>}.
 */
final class PollingPayload {

    static final char SEPARATOR = '\u001e';

    private PollingPayload() {}

    /** Encodes queued frames into one payload; releases the frames. */
    static ByteBuf encode(ByteBufAllocator alloc, List<WebSocketFrame> frames) {
        int size = 0;
        for (WebSocketFrame f : frames) size += f.content().readableBytes() * (f instanceof BinaryWebSocketFrame ? 2 : 1) + 2;
        ByteBuf out = alloc.buffer(size);
        try {
            boolean first = true;
            for (WebSocketFrame frame : frames) {
                if (!first) out.writeByte(SEPARATOR);
                first = false;
                ByteBuf content = frame.content();
                if (frame instanceof BinaryWebSocketFrame) {
                    out.writeByte('b');
                    out.writeCharSequence(Base64.getEncoder().encodeToString(ByteBufUtil.getBytes(content)), StandardCharsets.US_ASCII);
                } else {
                    out.writeBytes(content, content.readerIndex(), content.readableBytes());
                }
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            for (WebSocketFrame frame : frames) frame.release();
        }
    }

    /** One packet of a decoded payload: either text (type digit included) or binary bytes. */
    record Packet(String text, byte[] binary) {
        boolean isBinary() { return binary != null; }
    }

    /**
     * Splits a POST body into packets.
     *
     * @throws IllegalArgumentException when a packet is empty or its base64 is invalid
     */
    static List<Packet> decode(String body) {
        List<Packet> packets = new ArrayList<>();
        int start = 0;
        while (start <= body.length()) {
            int end = body.indexOf(SEPARATOR, start);
            if (end < 0) end = body.length();
            String part = body.substring(start, end);
            if (part.isEmpty()) throw new IllegalArgumentException("empty packet in payload");
            if (part.charAt(0) == 'b') {
                packets.add(new Packet(null, Base64.getDecoder().decode(part.substring(1))));
            } else if (PacketType.of(part.charAt(0)) == null) {
                throw new IllegalArgumentException("invalid packet type '" + part.charAt(0) + "'");
            } else {
                packets.add(new Packet(part, null));
            }
            start = end + 1;
        }
        return packets;
    }
}
