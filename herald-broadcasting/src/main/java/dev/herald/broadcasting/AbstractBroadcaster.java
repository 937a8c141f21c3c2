package dev.herald.broadcasting;

import dev.herald.wire.Publication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What every driver shares: encoding, one publication per channel, the per-attempt timeout, retries per channel, and
 * turning failures into {@link BroadcastException}s. A driver only says how to send one publication.
 */
abstract class AbstractBroadcaster implements Broadcaster {

    private final String driver;
    private final BroadcastEncoder encoder;
    private final Duration timeout;
    private final RetryPolicy retryPolicy;
    private volatile boolean closed;

    AbstractBroadcaster(String driver, BroadcastEncoder encoder, Duration timeout, RetryPolicy retryPolicy) {
        this.driver = driver;
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    }

    /** Sends one publication; may throw instead of returning a failed stage. */
    abstract CompletionStage<Void> send(Publication publication);

    /** Releases the driver's resources; called once. */
    void release() {}

    @Override
    public final String driver() { return driver; }

    @Override
    public final void broadcast(ShouldBroadcast event, BroadcastOptions options) {
        CompletableFuture<Void> done = broadcastAsync(event, options).toCompletableFuture();
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while broadcasting " + event.getClass().getName(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) throw runtime;
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public final CompletionStage<Void> broadcastAsync(ShouldBroadcast event, BroadcastOptions options) {
        if (closed) throw new IllegalStateException("the " + driver + " broadcaster is closed");
        List<Publication> publications = encoder.encode(event, options);
        if (publications.isEmpty()) return CompletableFuture.completedFuture(null);
        List<CompletableFuture<Void>> channels = new ArrayList<>(publications.size());
        for (Publication publication : publications) channels.add(attempt(publication, 1));
        return CompletableFuture.allOf(channels.toArray(CompletableFuture[]::new)).handle((ok, ignored) -> {
            BroadcastException first = null;
            for (CompletableFuture<Void> channel : channels) {
                if (!channel.isCompletedExceptionally()) continue;
                BroadcastException failure = (BroadcastException) unwrap(channel.handle((v, e) -> e).join());
                if (first == null) first = failure;
                else first.addSuppressed(failure);
            }
            if (first != null) throw first;
            return null;
        });
    }

    /** One attempt on one channel, then the retries; completes exceptionally only with a BroadcastException. */
    private CompletableFuture<Void> attempt(Publication publication, int attempt) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        result.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS); // armed first: send() may take a while to return
        try {
            CompletionStage<Void> sent = closed
                    ? CompletableFuture.failedFuture(new IllegalStateException("the broadcaster was closed"))
                    : send(publication);
            if (sent == null) throw new NullPointerException("the " + driver + " driver returned no stage");
            sent.whenComplete((ok, error) -> {
                if (error == null) result.complete(null);
                else result.completeExceptionally(unwrap(error));
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result.handle((ok, error) -> {
            if (error == null) return CompletableFuture.<Void>completedFuture(null);
            Throwable cause = unwrap(error);
            if (cause instanceof TimeoutException) {
                cause = new TimeoutException("no answer within " + timeout.toMillis() + " ms");
            }
            if (attempt > retryPolicy.retries() || closed) {
                return CompletableFuture.<Void>failedFuture(new BroadcastException(publication.event(),
                        publication.channel().value(), attempt, cause));
            }
            Executor later = CompletableFuture.delayedExecutor(retryPolicy.delay().toNanos(), TimeUnit.NANOSECONDS);
            return CompletableFuture.supplyAsync(() -> attempt(publication, attempt + 1), later)
                    .thenCompose(next -> next);
        }).thenCompose(next -> next);
    }

    private static Throwable unwrap(Throwable error) {
        while (error instanceof CompletionException && error.getCause() != null) error = error.getCause();
        return error;
    }

    @Override
    public final void close() {
        if (closed) return;
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        release();
    }

    final boolean isClosed() { return closed; }
}
