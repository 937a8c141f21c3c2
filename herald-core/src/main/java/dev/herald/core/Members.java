package dev.herald.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local subscribers of one channel, with a cached grouped snapshot for delivery. Changes are serialized by
 * the hub (under the channel's map lock); {@link #snapshot()} may run on any thread at any time.
 */
final class Members {

    /** One sink's groups of a snapshot. */
    record Share(DeliverySink sink, List<TargetGroup> groups, int size) {}

    /** Subscribers grouped by sink, then by affinity; {@code version} is the membership version it was built from. */
    record Snapshot(long version, List<Share> shares) {}

    /**
     * Members up to this many are kept in an immutable set, replaced on each change: most channels are a single
     * page's (a login, a payment), and an immutable set of one costs 24 bytes where a concurrent set costs about
     * 150 (measured with 19,000 one-member channels, one per idle connection). Past it, copying on every join
     * would cost O(n) per join, so the channel moves to a concurrent set for good.
     */
    static final int SMALL = 8;

    /** An immutable set (copy on write) while small, then a concurrent set; replaced only under the hub's lock. */
    private volatile Set<Subscriber> live = Set.of();
    private boolean concurrent;
    private volatile long version;
    private volatile Snapshot cached;

    /** Under the hub's lock for this channel. */
    boolean add(Subscriber subscriber) {
        Set<Subscriber> current = live;
        if (concurrent) {
            if (!current.add(subscriber)) return false;
        } else {
            if (current.contains(subscriber)) return false;
            List<Subscriber> grown = new ArrayList<>(current.size() + 1);
            grown.addAll(current);
            grown.add(subscriber);
            if (grown.size() > SMALL) {
                Set<Subscriber> large = ConcurrentHashMap.newKeySet(grown.size() * 2);
                large.addAll(grown);
                concurrent = true;
                live = large;
            } else {
                live = Set.copyOf(grown);
            }
        }
        version++;
        return true;
    }

    /** Under the hub's lock for this channel. */
    boolean remove(Subscriber subscriber) {
        Set<Subscriber> current = live;
        if (concurrent) {
            if (!current.remove(subscriber)) return false;
        } else {
            if (!current.contains(subscriber)) return false;
            List<Subscriber> shrunk = new ArrayList<>(current);
            shrunk.remove(subscriber);
            live = Set.copyOf(shrunk);
        }
        version++;
        return true;
    }

    boolean isEmpty() { return live.isEmpty(); }

    int size() { return live.size(); }

    /**
     * The members grouped for delivery: rebuilt once after each change, then shared by every publication. A
     * snapshot is taken of a copy of the live set, so a member that leaves and rejoins while it is being built
     * is in it once. A change racing with the build leaves a snapshot labelled with the older version, which the
     * next call replaces.
     */
    Snapshot snapshot() {
        Snapshot snapshot = cached;
        long current = version;
        if (snapshot != null && snapshot.version() == current) return snapshot;
        snapshot = build(current, Set.copyOf(live));
        cached = snapshot;
        return snapshot;
    }

    private static Snapshot build(long version, Set<Subscriber> members) {
        Map<DeliverySink, Map<Object, List<Subscriber>>> bySink = new LinkedHashMap<>(2);
        for (Subscriber subscriber : members) {
            bySink.computeIfAbsent(subscriber.sink(), s -> new LinkedHashMap<>())
                    .computeIfAbsent(new AffinityKey(subscriber.affinity()), a -> new ArrayList<>())
                    .add(subscriber);
        }
        List<Share> shares = new ArrayList<>(bySink.size());
        bySink.forEach((sink, byAffinity) -> {
            List<TargetGroup> groups = new ArrayList<>(byAffinity.size());
            int size = 0;
            for (Map.Entry<Object, List<Subscriber>> group : byAffinity.entrySet()) {
                groups.add(new TargetGroup(((AffinityKey) group.getKey()).value(), group.getValue()));
                size += group.getValue().size();
            }
            shares.add(new Share(sink, List.copyOf(groups), size));
        });
        return new Snapshot(version, List.copyOf(shares));
    }

    /** Affinities are compared by identity (an event loop, say), and may be null. */
    private record AffinityKey(Object value) {
        @Override
        public boolean equals(Object o) { return o instanceof AffinityKey k && k.value == value; }

        @Override
        public int hashCode() { return System.identityHashCode(value); }
    }
}
