package dev.herald.core;

/** A subscriber for tests; identity is object identity, as {@link Subscriber} requires. */
final class TestSubscriber implements Subscriber {

    private final String id;
    private final DeliverySink sink;

    TestSubscriber(String id, DeliverySink sink) {
        this.id = id;
        this.sink = sink;
    }

    @Override
    public String id() { return id; }

    @Override
    public DeliverySink sink() { return sink; }

    @Override
    public String toString() { return "subscriber " + id; }
}
