package dev.herald.server.relay;

/** How a publication is emitted to a Socket.IO client. */
public enum EventFormat {
    /**
     * laravel-echo's socket.io connector (and laravel-echo-server): event {@code <event>} with arguments
     * {@code (channel, data)}; Echo checks the channel argument before calling the listener.
     */
    ECHO,
    /** The tutorial's server: event {@code <channel>:<event>} with the data alone. */
    SEED;

    /** Parses {@code echo} / {@code seed}, case-insensitive. */
    public static EventFormat parse(String value) {
        for (EventFormat f : values()) if (f.name().equalsIgnoreCase(value)) return f;
        throw new IllegalArgumentException("event format must be echo or seed, was '" + value + "'");
    }
}
