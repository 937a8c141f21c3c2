package dev.herald.wire;

/** The kinds of channel Laravel knows, told apart by the name's prefix. */
public enum ChannelKind {
    /** Anyone may subscribe. */
    PUBLIC,
    /** {@code private-} (and Pusher's {@code private-encrypted-}): the app must authorize each subscriber. */
    PRIVATE,
    /** {@code presence-}: authorized, and subscribers see who else is there. */
    PRESENCE;

    /** Private and presence channels need an authorization. */
    public boolean isGuarded() { return this != PUBLIC; }

    static ChannelKind of(String name) {
        if (name.startsWith("private-")) return PRIVATE;
        if (name.startsWith("presence-")) return PRESENCE;
        return PUBLIC;
    }
}
