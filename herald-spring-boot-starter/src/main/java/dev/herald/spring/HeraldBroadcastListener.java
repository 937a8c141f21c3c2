package dev.herald.spring;

import dev.herald.broadcasting.BroadcastOptions;
import dev.herald.broadcasting.Broadcaster;
import dev.herald.broadcasting.Channel;
import dev.herald.broadcasting.ShouldBroadcast;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Broadcasts the {@link ShouldBroadcast} events the application publishes with Spring's
 * {@code ApplicationEventPublisher} ({@code publisher.publishEvent(new OrderPaid(42, "paid"))}): after the surrounding
 * transaction commits, never when it rolls back, and at once when no transaction is active.
 *
 * <p>Spring wraps such an event in a {@code PayloadApplicationEvent}; the listener methods declare the payload type,
 * which Spring matches and unwraps, so an event class need not extend {@code ApplicationEvent} (one that does is
 * handled too).
 *
 * <p>Broadcasting is asynchronous ({@link Broadcaster#broadcastAsync}): the committing thread does not wait for Redis.
 * A failure (Redis down, the timeout, an event that cannot be encoded) is logged at ERROR with the event and its
 * channels, after the driver's retries ({@code herald.broadcast.retries}); it never reaches the publisher and never
 * undoes the transaction, which has already committed. Pages should therefore not depend on the push alone: let them
 * fetch the current status when they (re)connect or after a while (the status fallback).
 *
 * <p>{@code toOthers()}: an event implementing {@link BroadcastToOthers}, or wrapped in {@link ToOthers}, leaves out
 * that socket.
 */
public class HeraldBroadcastListener {

    private static final Logger log = LoggerFactory.getLogger(HeraldBroadcastListener.class);

    private final Broadcaster broadcaster;

    public HeraldBroadcastListener(Broadcaster broadcaster) {
        this.broadcaster = Objects.requireNonNull(broadcaster, "broadcaster");
    }

    /** A {@link ShouldBroadcast} application event: broadcast after commit, or at once without a transaction. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    public void onShouldBroadcast(ShouldBroadcast event) {
        BroadcastOptions options = event instanceof BroadcastToOthers others
                ? BroadcastOptions.toOthers(others.socketId())
                : BroadcastOptions.none();
        broadcast(event, options);
    }

    /** A {@link ToOthers} application event: its event, leaving out its socket. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    public void onToOthers(ToOthers toOthers) {
        broadcast(toOthers.event(), BroadcastOptions.toOthers(toOthers.socketId()));
    }

    /**
     * Broadcasts now, without waiting; a failure is logged (and completes the stage exceptionally), never thrown.
     * The listener methods call it once the transaction has committed.
     */
    public CompletionStage<Void> broadcast(ShouldBroadcast event, BroadcastOptions options) {
        CompletionStage<Void> sent;
        try {
            sent = broadcaster.broadcastAsync(event, options);
        } catch (RuntimeException e) {
            logFailure(event, e);
            return CompletableFuture.failedFuture(e);
        }
        return sent.whenComplete((ok, error) -> {
            if (error != null) logFailure(event, error);
        });
    }

    private void logFailure(ShouldBroadcast event, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        log.error("broadcasting event [{}] ({}) on channels {} with the {} driver failed; the application's transaction,"
                        + " if any, stays committed: pages learn the new state from their status fallback, or retry with"
                        + " herald.broadcast.retries",
                describe(event::broadcastAs), event.getClass().getName(), describe(() -> event.broadcastOn().stream()
                        .map(Channel::name).collect(Collectors.joining(", ", "[", "]"))),
                broadcaster.driver(), cause);
    }

    private static String describe(java.util.function.Supplier<String> value) {
        try {
            return value.get();
        } catch (RuntimeException e) {
            return "<" + e.getClass().getSimpleName() + ">";
        }
    }
}
