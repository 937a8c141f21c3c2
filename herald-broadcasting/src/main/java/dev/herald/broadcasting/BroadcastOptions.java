package dev.herald.broadcasting;

/**
 * How to broadcast one event. Today only Laravel's {@code toOthers()}: the sender's socket id, which the push server
 * leaves out of the delivery so that the browser that caused an event does not receive it back.
 *
 * @param socket the Socket.IO socket id to leave out (from the request's {@code X-Socket-ID} header, which Laravel
 *               Echo sets), or {@code null} to deliver to everyone
 */
public record BroadcastOptions(String socket) {

    private static final BroadcastOptions NONE = new BroadcastOptions(null);

    /** An empty or blank id means "no socket" (a request without the header), as in Laravel. */
    public BroadcastOptions {
        if (socket != null && socket.isBlank()) socket = null;
    }

    /** Deliver to every subscriber. */
    public static BroadcastOptions none() {
        return NONE;
    }

    /**
     * Laravel's {@code broadcast($event)->toOthers()}: deliver to every subscriber except the socket with this id.
     * Pass the {@code X-Socket-ID} request header as is; when it is missing ({@code null} or empty) the event goes to
     * everyone, as in Laravel.
     */
    public static BroadcastOptions toOthers(String socketId) {
        return socketId == null || socketId.isBlank() ? NONE : new BroadcastOptions(socketId);
    }
}
