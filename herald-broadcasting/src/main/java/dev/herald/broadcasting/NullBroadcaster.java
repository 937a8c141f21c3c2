package dev.herald.broadcasting;

import dev.herald.wire.Publication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code null} driver, Laravel's {@code NullBroadcaster}: drops every event on purpose (events are still
 * encoded, so an event that cannot be encoded fails as with any driver). Use it to turn broadcasting off, e.g. in a
 * batch job; a DEBUG line per channel on {@code dev.herald.broadcasting.NullBroadcaster} shows what was dropped.
 */
final class NullBroadcaster extends AbstractBroadcaster {

    private static final Logger log = LoggerFactory.getLogger(NullBroadcaster.class);

    NullBroadcaster(BroadcastEncoder encoder, Duration timeout) {
        super("null", encoder, timeout, RetryPolicy.none());
    }

    @Override
    CompletionStage<Void> send(Publication publication) {
        log.debug("dropped [{}] on channel [{}] (null broadcast driver)", publication.event(), publication.channel());
        return CompletableFuture.completedFuture(null);
    }
}
