package dev.herald.broadcasting;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.herald.wire.ChannelKind;
import dev.herald.wire.ChannelName;

import java.util.Objects;

/**
 * A channel an event is broadcast on, as Laravel's {@code Illuminate\Broadcasting\Channel}: {@code new Channel("orders")}
 * is a public channel anyone may subscribe to. {@link PrivateChannel} and {@link PresenceChannel} add Laravel's
 * {@code private-} and {@code presence-} prefixes, which tell the push server that subscribers need an authorization.
 *
 * <p>The full name (prefix included) is validated with {@link ChannelName} when the channel is created, so an event
 * with an unusable channel fails where it is built, not when it is published. Like Laravel, the prefix is added
 * unconditionally: {@code new PrivateChannel("private-x")} is {@code private-private-x}, and a plain {@code Channel}
 * whose name starts with {@code private-} is guarded on the server all the same.
 *
 * <p>Two channels are equal when their full names are equal, whatever their class.
 */
public sealed class Channel permits PrivateChannel, PresenceChannel {

    private final ChannelName name;

    /**
     * A public channel.
     *
     * @param name the channel name, e.g. {@code orders.42}
     * @throws dev.herald.wire.InvalidChannelException when the name is empty, too long or has a character outside
     *                                                 {@code A-Z a-z 0-9 _ - = @ , . ; : +}
     */
    public Channel(String name) {
        this(ChannelName.of(name));
    }

    /** A channel with an already validated name (used as is, no prefix added). */
    public Channel(ChannelName name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * The full channel name, prefix included: what is published to Redis (after the Redis key prefix). A channel in
     * an event's data is written {@code {"name":"private-x"}}, as PHP encodes a Laravel channel object.
     */
    @JsonProperty("name")
    public String name() { return name.value(); }

    /** The full name as Herald's wire type. */
    public ChannelName channelName() { return name; }

    /** Public, private or presence, told apart by the name's prefix (as the push server does). */
    public ChannelKind kind() { return name.kind(); }

    @Override
    public final boolean equals(Object o) {
        return o instanceof Channel other && name.equals(other.name);
    }

    @Override
    public final int hashCode() { return name.hashCode(); }

    /** The full name, like Laravel's {@code Channel::__toString()}. */
    @Override
    public final String toString() { return name.value(); }
}
