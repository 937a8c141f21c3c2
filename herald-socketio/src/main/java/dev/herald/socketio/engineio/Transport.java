package dev.herald.socketio.engineio;

import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * The byte sink of a session. Outgoing Engine.IO packets travel as WebSocket frames whatever the
 * transport: a text frame holds the whole text packet ({@code 4hello}), a binary frame the raw bytes of a
 * binary message. Long-polling turns them into its payload format when it answers a GET; WebSocket writes
 * them as they are, which is what lets a broadcast share one encoded frame between all its targets.
 *
 * <p>All methods are called on the owning session's event loop.
 */
interface Transport {

    String name();

    /** Queues a frame without flushing; takes ownership of it. Returns false when the frame was dropped. */
    boolean write(WebSocketFrame frame);

    /** Sends what {@link #write} queued. */
    void flush();

    /** Bytes queued and not yet handed to the kernel. */
    long pendingBytes();

    /** Ends the transport; {@code sendClose} says whether the peer is told with a close packet first. */
    void close(boolean sendClose);
}
