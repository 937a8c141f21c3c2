package dev.herald.core;

import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One Herald node: publishes through the broker, receives from it, and routes to this node's subscribers. The
 * protocols (Socket.IO today) translate their frames into {@link #subscribe}, {@link #unsubscribe},
 * {@link #disconnect} and {@link #publish}, and receive through their {@link DeliverySink}; they never own
 * channel membership.
 *
 * <p>The broker is asked to subscribe a channel when its first local subscriber arrives and to unsubscribe it
 * when the last leaves, in the order those events happen.
 */
public final class Node implements BrokerListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final Broker broker;
    private final Hub hub = new Hub();
    private final Map<ChannelName, CompletableFuture<Void>> ready = new ConcurrentHashMap<>();
    private final List<Consumer<Publication>> firehoses = new CopyOnWriteArrayList<>();
    private final LongAdder published = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final Map<String, AtomicLong> malformed = new ConcurrentHashMap<>();

    public Node(Broker broker) {
        this.broker = broker;
    }

    /** Starts receiving from the broker. */
    public Node start() {
        broker.start(this);
        return this;
    }

    public Broker broker() { return broker; }

    /** Publishes through the broker (to every node, this one included). Fails when the broker cannot take it. */
    public CompletionStage<Void> publish(Publication publication) {
        published.increment();
        return broker.publish(publication);
    }

    /**
     * Subscribes a local subscriber to a channel. The stage completes when publications on the channel reach
     * this node (at once when another local subscriber already has the channel and its subscription is live).
     */
    public CompletionStage<Void> subscribe(ChannelName channel, Subscriber subscriber) {
        hub.add(channel, subscriber, () -> {
            CompletableFuture<Void> live = new CompletableFuture<>();
            ready.put(channel, live);
            broker.subscribe(channel).whenComplete((ok, error) -> {
                if (error != null) {
                    log.warn("broker could not subscribe {}: {}", channel, error.toString());
                    live.completeExceptionally(error);
                } else {
                    live.complete(null);
                    // Live now: later subscribers need no stage to wait on (a missing entry means live), and a node
                    // with 19,000 one-page channels does not keep a completed future for each.
                    ready.remove(channel, live);
                }
            });
        });
        CompletableFuture<Void> live = ready.get(channel);
        return live != null ? live.copy() : CompletableFuture.completedFuture(null);
    }

    /** Removes one subscription; the broker forgets the channel when its last local subscriber leaves. */
    public void unsubscribe(ChannelName channel, Subscriber subscriber) {
        hub.remove(channel, subscriber, () -> releaseChannel(channel));
    }

    /** Removes every subscription of a subscriber (its connection ended). */
    public void disconnect(Subscriber subscriber) {
        for (ChannelName channel : hub.channelsOf(subscriber)) unsubscribe(channel, subscriber);
    }

    private void releaseChannel(ChannelName channel) {
        ready.remove(channel);
        broker.unsubscribe(channel).whenComplete((ok, error) -> {
            if (error != null) log.debug("broker could not unsubscribe {}: {}", channel, error.toString());
        });
    }

    /** Also receives every publication this node gets, whatever its channel (the legacy broadcast-to-all mode). */
    public void addFirehose(Consumer<Publication> consumer) {
        firehoses.add(consumer);
    }

    /** The channels of a subscriber, a snapshot. */
    public Set<ChannelName> channelsOf(Subscriber subscriber) { return hub.channelsOf(subscriber); }

    /** Channel → local subscriber count, sorted by name. */
    public Map<String, Integer> channelCounts() {
        Map<String, Integer> sorted = new TreeMap<>();
        hub.counts().forEach((channel, count) -> sorted.put(channel.value(), count));
        return sorted;
    }

    public int subscriberCount(ChannelName channel) { return hub.count(channel); }

    public NodeStats stats() {
        Map<String, Long> bad = new TreeMap<>();
        malformed.forEach((kind, count) -> bad.put(kind, count.get()));
        return new NodeStats(published.sum(), received.sum(), delivered.sum(), bad, hub.counts().size(), hub.subscriberCount());
    }

    // ------------------------------------------------------------------ from the broker

    @Override
    public void onPublication(Publication publication) {
        received.increment();
        try {
            delivered.add(hub.deliver(publication));
        } catch (RuntimeException e) {
            log.error("delivery of {} on {} failed", publication.event(), publication.channel(), e);
        }
        for (Consumer<Publication> firehose : firehoses) {
            try {
                firehose.accept(publication);
            } catch (RuntimeException e) {
                log.error("firehose delivery failed", e);
            }
        }
    }

    @Override
    public void onMalformed(String kind, String detail) {
        AtomicLong counter = malformed.computeIfAbsent(kind, k -> new AtomicLong());
        // Once per kind at WARN, so a misbehaving publisher cannot flood the log; the rest at DEBUG.
        if (counter.incrementAndGet() == 1) {
            log.warn("skipped a malformed broker message ({}): {}; further ones of this kind are only counted", kind, detail);
        } else {
            log.debug("skipped a malformed broker message ({}): {}", kind, detail);
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
