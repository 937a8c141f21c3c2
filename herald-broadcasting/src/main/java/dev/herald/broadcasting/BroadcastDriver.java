package dev.herald.broadcasting;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The drivers a {@link Broadcaster} can use, named as in Laravel's {@code BROADCAST_DRIVER}. */
public enum BroadcastDriver {
    /** PUBLISH Laravel's payload to Redis, for the Herald server (or laravel-echo-server) to relay. */
    REDIS,
    /** Write each publication to the log (SLF4J, INFO); publish nothing. */
    LOG,
    /** Drop every event, on purpose. */
    NULL,
    /** Hand publications to a {@link PublicationSink} in the same JVM (an embedded Herald node). */
    MEMORY;

    /** The name as written in configuration: {@code redis}, {@code log}, {@code null}, {@code memory}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configured name, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException for an unknown name, listing the valid ones
     */
    public static BroadcastDriver parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (BroadcastDriver driver : values()) {
            if (driver.configName().equals(wanted)) return driver;
        }
        String hint = switch (wanted) {
            case "pusher", "reverb", "ably" -> " (" + wanted + " is a Laravel driver Herald does not provide: use redis"
                    + " with the Herald server)";
            default -> "";
        };
        throw new IllegalArgumentException("unknown broadcast driver '" + name + "'; valid drivers: "
                + Arrays.stream(values()).map(BroadcastDriver::configName).collect(Collectors.joining(", ")) + hint);
    }

    @Override
    public String toString() { return configName(); }
}
