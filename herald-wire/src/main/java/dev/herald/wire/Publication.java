package dev.herald.wire;

import java.util.Objects;

/**
 * One event on one channel, as Laravel's RedisBroadcaster publishes it.
 *
 * @param channel the channel (without any Redis key prefix)
 * @param event   the event name ({@code broadcastAs()}, or the event class name)
 * @param data    the payload as raw JSON text, kept verbatim from publisher to browser
 * @param socket  the Socket.IO socket id to leave out ({@code toOthers()}), or {@code null}
 */
public record Publication(ChannelName channel, String event, String data, String socket) {

    public Publication {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
        if (event.isEmpty()) throw new IllegalArgumentException("event name is empty");
        if (socket != null && socket.isEmpty()) socket = null;
    }
}
