package dev.herald.broadcasting;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a failed publication is tried again before the broadcast fails with a {@link BroadcastException}. Retries
 * are per channel: a channel that succeeded is not published again. The default is {@link #none()}: a failure is
 * reported at once, never dropped silently.
 *
 * <p>A retry after a timeout can duplicate a publication (the first attempt may still have reached Redis), so
 * retries make delivery at-least-once; browsers should tolerate a duplicate.
 */
public final class RetryPolicy {

    private static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO);

    private final int retries;
    private final Duration delay;

    private RetryPolicy(int retries, Duration delay) {
        this.retries = retries;
        this.delay = delay;
    }

    /** No retry: one attempt. */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * Up to {@code retries} more attempts after the first, {@code delay} apart: {@code fixed(3, 200ms)} tries four
     * times in all over at least 600 ms.
     *
     * @throws IllegalArgumentException when {@code retries} or {@code delay} is negative
     */
    public static RetryPolicy fixed(int retries, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (retries < 0) throw new IllegalArgumentException("retries must be >= 0, was " + retries);
        if (delay.isNegative()) throw new IllegalArgumentException("retry delay must be >= 0, was " + delay);
        return retries == 0 ? NONE : new RetryPolicy(retries, delay);
    }

    /** The number of retries after the first attempt. */
    public int retries() { return retries; }

    /** The pause before each retry. */
    public Duration delay() { return delay; }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy other && retries == other.retries && delay.equals(other.delay);
    }

    @Override
    public int hashCode() { return 31 * retries + delay.hashCode(); }

    @Override
    public String toString() {
        return retries == 0 ? "RetryPolicy.none()" : "RetryPolicy.fixed(" + retries + ", " + delay + ")";
    }
}
