package dev.herald.broadcasting;

import dev.herald.wire.Publication;

import java.util.concurrent.CompletionStage;

/**
 * Where the {@code memory} driver hands publications: a Herald node embedded in the same JVM
 * ({@code node::publish}), a test, a queue. One call per channel.
 *
 * <p>Contract: return a stage that completes when the publication is accepted, or completes exceptionally (or
 * throw) when it is not; the broadcaster then reports the failure (or retries, per its {@link RetryPolicy}). A stage
 * that never completes is a failure once the broadcaster's timeout has passed. May be called from several threads
 * at once.
 */
@FunctionalInterface
public interface PublicationSink {

    /** Accepts one publication; see the interface's contract. */
    CompletionStage<Void> publish(Publication publication);
}
