package dev.herald.core;

import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;

import java.util.concurrent.CompletionStage;

/**
 * Carries publications between the nodes of one logical Herald (and from apps to it). Every publication goes
 * through the broker, even on a single node with the in-memory broker, so one code path serves one node and
 * many.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #start} is called once, before anything else; the listener then receives every publication on
 *       a subscribed channel, whichever node (or app) published it, the publishing node included.</li>
 *   <li>{@link #subscribe} and {@link #unsubscribe} are called by the node only when a channel gets its first
 *       local subscriber or loses its last, and in the order the node decided them; the returned stage completes
 *       when the subscription is active (a page waiting for it may then be told it is live). A broker that
 *       receives everything anyway (pattern mode) completes at once.</li>
 *   <li>{@link #publish} completes when the broker accepted the publication, and fails (never silently drops)
 *       when it could not.</li>
 *   <li>A subscribe whose stage failed (the broker was unreachable) still leaves the channel wanted: the broker
 *       keeps trying and subscribes it when it can, until the node unsubscribes it.</li>
 *   <li>Delivery is at most once: a broker that reconnects must resubscribe by itself.</li>
 * </ul>
 */
public interface Broker extends AutoCloseable {

    void start(BrokerListener listener);

    CompletionStage<Void> publish(Publication publication);

    CompletionStage<Void> subscribe(ChannelName channel);

    CompletionStage<Void> unsubscribe(ChannelName channel);

    /** Whether the broker can currently carry publications (for health checks). */
    boolean isHealthy();

    /** A short description for logs and health output, e.g. {@code memory} or {@code redis://host:6379}. */
    String describe();

    @Override
    void close();
}
