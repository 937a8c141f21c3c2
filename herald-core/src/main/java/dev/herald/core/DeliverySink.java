package dev.herald.core;

import dev.herald.wire.Publication;

import java.util.ArrayList;
import java.util.List;

/**
 * A protocol's delivery path. The hub calls it once per publication with every local target the sink owns, so
 * the protocol can encode the event once and write the same bytes to all of them. It must not block; it may
 * be called from any thread (the broker's).
 */
@FunctionalInterface
public interface DeliverySink {

    /** Delivers to these targets; the publication's {@code socket} (toOthers) is already left out. */
    void deliver(Publication publication, List<Subscriber> targets);

    /**
     * Delivers to this sink's subscribers of the channel, grouped by {@link Subscriber#affinity()}. The groups are
     * the hub's cached snapshot, shared by every publication until the channel's membership changes: a sink may
     * derive and cache what it needs per group ({@link TargetGroup#derived}) and must leave out the subscriber
     * whose id is the publication's {@code socket} itself. The default flattens the groups into
     * {@link #deliver(Publication, List)}.
     *
     * @return how many subscribers it delivered to
     */
    default int deliverGroups(Publication publication, List<TargetGroup> groups) {
        String except = publication.socket();
        int size = 0;
        for (TargetGroup group : groups) size += group.members().size();
        List<Subscriber> targets = new ArrayList<>(size);
        for (TargetGroup group : groups) {
            for (Subscriber subscriber : group.members()) {
                if (except == null || !except.equals(subscriber.id())) targets.add(subscriber);
            }
        }
        if (!targets.isEmpty()) deliver(publication, targets);
        return targets.size();
    }
}
