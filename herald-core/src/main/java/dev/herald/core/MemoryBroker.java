package dev.herald.core;

import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The default broker: publications go straight back to this node's listener, on the publisher's thread. Enough
 * for a single Herald node whose apps publish through its HTTP API or in-process; with several nodes, or apps
 * publishing to Redis, use the Redis broker.
 */
public final class MemoryBroker implements Broker {

    private volatile BrokerListener listener;
    private volatile boolean closed;

    @Override
    public void start(BrokerListener listener) {
        if (this.listener != null) throw new IllegalStateException("already started");
        this.listener = listener;
    }

    @Override
    public CompletionStage<Void> publish(Publication publication) {
        BrokerListener target = listener;
        if (target == null || closed) {
            return CompletableFuture.failedFuture(new BrokerException("memory broker is not running"));
        }
        target.onPublication(publication);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> subscribe(ChannelName channel) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> unsubscribe(ChannelName channel) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isHealthy() { return listener != null && !closed; }

    @Override
    public String describe() { return "memory"; }

    @Override
    public void close() { closed = true; }
}
