package dev.herald.core;

import java.util.Map;

/**
 * Counters of a node since it started.
 *
 * @param published      publications this node handed to the broker
 * @param received       publications the broker delivered to this node
 * @param delivered      deliveries to local subscribers (one publication to n subscribers counts n)
 * @param malformed      broker messages skipped, by kind
 * @param channels       channels with local subscribers now
 * @param subscribers    subscribers with at least one channel now
 */
public record NodeStats(long published, long received, long delivered, Map<String, Long> malformed, int channels,
                        int subscribers) {

    public long malformedTotal() {
        return malformed.values().stream().mapToLong(Long::longValue).sum();
    }
}
