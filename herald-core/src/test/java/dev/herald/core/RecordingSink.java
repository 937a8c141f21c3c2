package dev.herald.core;

import dev.herald.wire.Publication;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every {@link DeliverySink#deliver} call, with a copy of its targets. */
final class RecordingSink implements DeliverySink {

    record Delivery(Publication publication, List<Subscriber> targets) {}

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    @Override
    public void deliver(Publication publication, List<Subscriber> targets) {
        deliveries.add(new Delivery(publication, List.copyOf(targets)));
    }

    List<Delivery> deliveries() { return List.copyOf(deliveries); }

    /** The publications a subscriber was a target of, in order. */
    List<Publication> receivedBy(Subscriber subscriber) {
        return deliveries.stream().filter(d -> d.targets().contains(subscriber)).map(Delivery::publication).toList();
    }

    void clear() { deliveries.clear(); }
}
