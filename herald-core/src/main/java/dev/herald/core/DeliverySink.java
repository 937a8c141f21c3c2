package dev.herald.core;

import dev.herald.wire.Publication;

import java.util.List;

/**
 * A protocol's delivery path. The hub calls it once per publication with every local target the sink owns, so
 * the protocol can encode the event once and write the same bytes to all of them. It must not block; it may
 * be called from any thread (the broker's).
 */
@FunctionalInterface
public interface DeliverySink {

    void deliver(Publication publication, List<Subscriber> targets);
}
