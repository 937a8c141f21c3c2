package dev.herald.broadcasting;

import dev.herald.wire.LaravelPayload;
import dev.herald.wire.Publication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code log} driver, Laravel's {@code LogBroadcaster}: publishes nothing, writes one INFO line per channel to
 * the SLF4J logger {@code dev.herald.broadcasting.LogBroadcaster}:
 * {@code Broadcasting [order.paid] on channel [private-orders.42] with payload: {"event":...}} (the payload being
 * the exact bytes the {@code redis} driver would publish). For development and tests.
 */
final class LogBroadcaster extends AbstractBroadcaster {

    private static final Logger log = LoggerFactory.getLogger(LogBroadcaster.class);

    LogBroadcaster(BroadcastEncoder encoder, Duration timeout) {
        super("log", encoder, timeout, RetryPolicy.none());
    }

    @Override
    CompletionStage<Void> send(Publication publication) {
        log.info("Broadcasting [{}] on channel [{}] with payload: {}", publication.event(), publication.channel(),
                LaravelPayload.encodeToString(publication));
        return CompletableFuture.completedFuture(null);
    }
}
