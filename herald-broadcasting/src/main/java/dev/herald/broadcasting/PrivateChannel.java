package dev.herald.broadcasting;

/**
 * Laravel's {@code PrivateChannel}: the name gets the {@code private-} prefix, so {@code new PrivateChannel("orders.42")}
 * is broadcast on {@code private-orders.42} and the push server asks the app (Laravel's {@code /broadcasting/auth})
 * before letting a browser subscribe.
 */
public final class PrivateChannel extends Channel {

    /** The prefix Laravel prepends. */
    public static final String PREFIX = "private-";

    /**
     * @param name the name without prefix, e.g. {@code App.Models.User.7}
     * @throws dev.herald.wire.InvalidChannelException when the prefixed name is not a valid channel name
     */
    public PrivateChannel(String name) {
        super(PREFIX + name);
    }
}
