package dev.herald.server.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * How the Socket.IO relay behaves.
 *
 * @param eventFormat        echo (laravel-echo) or seed (the tutorial's {@code channel:event})
 * @param legacyBroadcastAll UNSAFE: send every public event to every connected socket, subscribed or not, as
 *                           the tutorial's server did (for pages that never subscribe). Off by default.
 * @param subscribeTimeout   how long a subscription may take to become live before the client is told it failed
 * @param maxChannelsPerSocket subscriptions one socket may hold
 */
public record RelayOptions(EventFormat eventFormat, boolean legacyBroadcastAll, Duration subscribeTimeout,
                           int maxChannelsPerSocket) {

    public RelayOptions {
        Objects.requireNonNull(eventFormat, "eventFormat");
        Objects.requireNonNull(subscribeTimeout, "subscribeTimeout");
        if (maxChannelsPerSocket < 1) throw new IllegalArgumentException("maxChannelsPerSocket must be positive");
    }

    public static RelayOptions defaults() {
        return new RelayOptions(EventFormat.ECHO, false, Duration.ofSeconds(10), 100);
    }

    public RelayOptions withEventFormat(EventFormat v) { return new RelayOptions(v, legacyBroadcastAll, subscribeTimeout, maxChannelsPerSocket); }
    public RelayOptions withLegacyBroadcastAll(boolean v) { return new RelayOptions(eventFormat, v, subscribeTimeout, maxChannelsPerSocket); }
    public RelayOptions withSubscribeTimeout(Duration v) { return new RelayOptions(eventFormat, legacyBroadcastAll, v, maxChannelsPerSocket); }
    public RelayOptions withMaxChannelsPerSocket(int v) { return new RelayOptions(eventFormat, legacyBroadcastAll, subscribeTimeout, v); }
}
