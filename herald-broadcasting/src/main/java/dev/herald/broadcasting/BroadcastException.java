package dev.herald.broadcasting;

/**
 * An event could not be published on a channel: Redis unreachable or too slow, the sink failed, the timeout passed.
 * The message names the event, the channel, the number of attempts and the cause; the cause is the last attempt's
 * failure. When several channels of one broadcast fail, the first (in {@code broadcastOn()} order) is thrown and the
 * others are {@linkplain #getSuppressed() suppressed}. The same name as Laravel's
 * {@code Illuminate\Broadcasting\BroadcastException}.
 */
public final class BroadcastException extends RuntimeException {

    private final String channel;
    private final String event;
    private final int attempts;

    public BroadcastException(String event, String channel, int attempts, Throwable cause) {
        super("broadcasting [" + event + "] on channel [" + channel + "] failed after " + attempts
                + (attempts == 1 ? " attempt: " : " attempts: ") + describe(cause), cause);
        this.event = event;
        this.channel = channel;
        this.attempts = attempts;
    }

    /** The channel (full name, without Redis key prefix) that the event could not be published on. */
    public String channel() { return channel; }

    /** The event name. */
    public String event() { return event; }

    /** How many times publishing was tried (1 without retries). */
    public int attempts() { return attempts; }

    private static String describe(Throwable cause) {
        if (cause == null) return "unknown cause";
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
