package dev.herald.server.relay;

import dev.herald.core.DeliverySink;
import dev.herald.core.Subscriber;
import dev.herald.socketio.SocketIoSocket;

/** A Socket.IO socket as a hub subscriber; its id is the socket id pages send as {@code X-Socket-ID}. */
final class SocketSubscriber implements Subscriber {

    private final SocketIoSocket socket;
    private final DeliverySink sink;

    SocketSubscriber(SocketIoSocket socket, DeliverySink sink) {
        this.socket = socket;
        this.sink = sink;
    }

    SocketIoSocket socket() { return socket; }

    @Override
    public String id() { return socket.id(); }

    @Override
    public DeliverySink sink() { return sink; }

    /** Grouped by the socket's I/O thread, so each thread gets one task per publication. */
    @Override
    public Object affinity() { return socket.eventLoop(); }
}
