package dev.herald.broadcasting;

/**
 * Laravel's {@code PresenceChannel}: the name gets the {@code presence-} prefix, so {@code new PresenceChannel("chat.1")}
 * is broadcast on {@code presence-chat.1}; subscribers are authorized and see who else is subscribed.
 */
public final class PresenceChannel extends Channel {

    /** The prefix Laravel prepends. */
    public static final String PREFIX = "presence-";

    /**
     * @param name the name without prefix, e.g. {@code chat.1}
     * @throws dev.herald.wire.InvalidChannelException when the prefixed name is not a valid channel name
     */
    public PresenceChannel(String name) {
        super(PREFIX + name);
    }
}
