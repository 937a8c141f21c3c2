package dev.herald.broadcasting;

import dev.herald.wire.Publication;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The {@code memory} driver: hands each {@link Publication} to a {@link PublicationSink} in the same JVM, e.g. an
 * embedded Herald node ({@code Broadcasters.memory(node::publish)}). The publication carries what the Herald server
 * would parse out of the {@code redis} driver's message (same event, data and socket), without Redis in between.
 */
final class MemoryBroadcaster extends AbstractBroadcaster {

    private final PublicationSink sink;

    MemoryBroadcaster(PublicationSink sink, BroadcastEncoder encoder, Duration timeout, RetryPolicy retryPolicy) {
        super("memory", encoder, timeout, retryPolicy);
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    CompletionStage<Void> send(Publication publication) {
        return sink.publish(publication);
    }
}
