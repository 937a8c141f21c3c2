package dev.herald.broadcasting;

import java.util.concurrent.CompletionStage;

/**
 * Publishes {@link ShouldBroadcast} events, like Laravel's {@code broadcast($event)}, through one driver
 * ({@link BroadcastDriver}): {@code redis} PUBLISHes Laravel's payload for the Herald server (or any Laravel-compatible
 * push server) to pick up, {@code memory} hands it to an embedded Herald node, {@code log} and {@code null} are for
 * development. Create one with {@link Broadcasters} and share it; it is thread-safe.
 *
 * <pre>{@code
 * try (Broadcaster broadcaster = Broadcasters.create(BroadcastConfig.fromEnvironment())) {
 *     broadcaster.broadcast(new OrderPaid(42, "paid"));
 *     broadcaster.broadcast(new OrderPaid(42, "paid"), BroadcastOptions.toOthers(request.getHeader("X-Socket-ID")));
 * }
 * }</pre>
 *
 * <p>Laravel's fluent {@code broadcast($e)->toOthers()} works because PHP publishes in the destructor of the pending
 * broadcast; Java has no such hook, so the socket to leave out is given up front in {@link BroadcastOptions}.
 *
 * <p>Failures are never silent: {@link #broadcast} throws and {@link #broadcastAsync} completes exceptionally with a
 * {@link BroadcastException} naming the channel, after the {@link RetryPolicy}'s retries, each attempt bounded by the
 * configured timeout. Events that cannot be encoded fail at once with an {@link IllegalArgumentException}.
 */
public interface Broadcaster extends AutoCloseable {

    /** Publishes to everyone on the event's channels; see {@link #broadcast(ShouldBroadcast, BroadcastOptions)}. */
    default void broadcast(ShouldBroadcast event) {
        broadcast(event, BroadcastOptions.none());
    }

    /**
     * Publishes the event on each of its channels and returns once every channel has been published (Laravel's
     * {@code ShouldBroadcastNow}; for Laravel's queued default use {@link #broadcastAsync}).
     *
     * @throws BroadcastException        when a channel could not be published after the retries
     * @throws IllegalArgumentException  when the event cannot be encoded
     * @throws IllegalStateException     when the broadcaster is closed
     */
    void broadcast(ShouldBroadcast event, BroadcastOptions options);

    /** {@link #broadcastAsync(ShouldBroadcast, BroadcastOptions)} to everyone. */
    default CompletionStage<Void> broadcastAsync(ShouldBroadcast event) {
        return broadcastAsync(event, BroadcastOptions.none());
    }

    /**
     * Publishes without blocking the caller: the stage completes when every channel has been published, or
     * exceptionally with a {@link BroadcastException}. Encoding happens in the caller's thread.
     *
     * @throws IllegalArgumentException when the event cannot be encoded
     * @throws IllegalStateException    when the broadcaster is closed
     */
    CompletionStage<Void> broadcastAsync(ShouldBroadcast event, BroadcastOptions options);

    /** The driver's name: {@code redis}, {@code log}, {@code null} or {@code memory}. */
    String driver();

    /** Releases connections; publications still in flight may fail. Idempotent. */
    @Override
    void close();
}
