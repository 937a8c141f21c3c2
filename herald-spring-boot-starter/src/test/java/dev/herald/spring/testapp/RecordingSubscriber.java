package dev.herald.spring.testapp;

import dev.herald.core.DeliverySink;
import dev.herald.core.Node;
import dev.herald.core.Subscriber;
import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A subscriber on a Herald node that records what it is delivered. */
public final class RecordingSubscriber implements Subscriber, DeliverySink {

    private final String id;
    private final List<Publication> publications = new CopyOnWriteArrayList<>();

    public RecordingSubscriber(String id) {
        this.id = id;
    }

    /** Subscribes a new recording subscriber to channels of the node, waiting until they are live. */
    public static RecordingSubscriber subscribe(Node node, String id, String... channels) {
        RecordingSubscriber subscriber = new RecordingSubscriber(id);
        for (String channel : channels) {
            try {
                node.subscribe(ChannelName.of(channel), subscriber).toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("could not subscribe " + channel, e);
            }
        }
        return subscriber;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public DeliverySink sink() {
        return this;
    }

    @Override
    public void deliver(Publication publication, List<Subscriber> targets) {
        publications.add(publication);
    }

    public List<Publication> publications() {
        return List.copyOf(publications);
    }

    /** The delivered data, e.g. {@code {"orderId":1,"status":"paid","socket":null}}. */
    public List<String> data() {
        return publications.stream().map(Publication::data).toList();
    }

    @Override
    public String toString() {
        return "subscriber " + id + " " + publications;
    }
}
