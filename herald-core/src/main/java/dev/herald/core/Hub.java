package dev.herald.core;

import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's subscriptions: channel → local subscribers, and the reverse index used to drop everything of a
 * subscriber when its connection ends. Thread-safe; membership changes of one channel are serialized by the
 * map, so "first subscriber" and "last subscriber" are decided exactly once.
 */
final class Hub {

    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Map<ChannelName, Members> channels = new ConcurrentHashMap<>();
    /** Immutable sets, replaced under the map's lock: small (a page has a few channels) and read as snapshots. */
    private final Map<Subscriber, Set<ChannelName>> bySubscriber = new ConcurrentHashMap<>();

    /**
     * Adds a subscription; {@code onFirst} runs under the channel's lock when the channel had no local subscriber.
     *
     * @return whether the subscriber was new on this channel
     */
    boolean add(ChannelName channel, Subscriber subscriber, Runnable onFirst) {
        boolean[] added = {false};
        channels.compute(channel, (c, members) -> {
            if (members == null) {
                members = new Members();
                onFirst.run();
            }
            added[0] = members.add(subscriber);
            return members;
        });
        if (added[0]) {
            // Under the map's lock, so a concurrent remove cannot drop the set this channel is being added to.
            bySubscriber.compute(subscriber, (s, own) -> {
                if (own == null) return Set.of(channel);
                Set<ChannelName> more = new HashSet<>(own);
                more.add(channel);
                return Set.copyOf(more);
            });
        }
        return added[0];
    }

    /**
     * Removes a subscription; {@code onLast} runs under the channel's lock when it was the last local subscriber.
     *
     * @return whether the subscriber was on the channel
     */
    boolean remove(ChannelName channel, Subscriber subscriber, Runnable onLast) {
        boolean[] removed = {false};
        channels.computeIfPresent(channel, (c, members) -> {
            removed[0] = members.remove(subscriber);
            if (members.isEmpty()) {
                onLast.run();
                return null;
            }
            return members;
        });
        bySubscriber.computeIfPresent(subscriber, (s, own) -> {
            if (!own.contains(channel)) return own;
            Set<ChannelName> fewer = new HashSet<>(own);
            fewer.remove(channel);
            return fewer.isEmpty() ? null : Set.copyOf(fewer);
        });
        return removed[0];
    }

    /** The channels of a subscriber, a snapshot. */
    Set<ChannelName> channelsOf(Subscriber subscriber) {
        Set<ChannelName> own = bySubscriber.get(subscriber);
        return own == null ? Set.of() : own;
    }

    /**
     * Hands a publication to the sinks of its channel's subscribers, grouped as {@link Members#snapshot()} keeps
     * them; each sink leaves out the subscriber whose id is the publication's {@code socket}.
     *
     * @return how many subscribers it was handed to
     */
    int deliver(Publication publication) {
        Members members = channels.get(publication.channel());
        if (members == null) return 0;
        int count = 0;
        for (Members.Share share : members.snapshot().shares()) {
            try {
                count += share.sink().deliverGroups(publication, share.groups());
            } catch (RuntimeException e) {
                // One protocol's failure must not cost the other protocols their delivery.
                log.error("delivery of {} on {} to {} subscribers failed", publication.event(), publication.channel(),
                        share.size(), e);
            }
        }
        return count;
    }

    /** Channel → local subscriber count, a snapshot. */
    Map<ChannelName, Integer> counts() {
        Map<ChannelName, Integer> counts = new HashMap<>();
        channels.forEach((channel, members) -> counts.put(channel, members.size()));
        return Collections.unmodifiableMap(counts);
    }

    int count(ChannelName channel) {
        Members members = channels.get(channel);
        return members == null ? 0 : members.size();
    }

    int subscriberCount() { return bySubscriber.size(); }
}
