package dev.herald.core;

import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Wraps a broker and records the node's subscribe and unsubscribe calls, in call order, overall and per channel.
 * {@link #subscribeWith} replaces the delegate's subscribe stage (e.g. by a future the test completes later).
 */
final class RecordingBroker implements Broker {

    private final Broker delegate;
    private final Queue<String> calls = new ConcurrentLinkedQueue<>();
    private final Map<ChannelName, List<String>> byChannel = new ConcurrentHashMap<>();
    private final List<CompletableFuture<Void>> subscribeFutures = new CopyOnWriteArrayList<>();
    private volatile Function<ChannelName, CompletionStage<Void>> subscribeStage;

    RecordingBroker(Broker delegate) {
        this.delegate = delegate;
    }

    /** Subscribes answer with a new incomplete future each, completed by the test through {@link #subscribeFuture}. */
    RecordingBroker withPendingSubscribes() {
        return subscribeWith(channel -> {
            CompletableFuture<Void> future = new CompletableFuture<>();
            subscribeFutures.add(future);
            return future;
        });
    }

    RecordingBroker subscribeWith(Function<ChannelName, CompletionStage<Void>> stage) {
        this.subscribeStage = stage;
        return this;
    }

    /** The future returned by the n-th subscribe call (0-based), with {@link #withPendingSubscribes}. */
    CompletableFuture<Void> subscribeFuture(int n) { return subscribeFutures.get(n); }

    /** Every subscribe/unsubscribe call, as {@code sub:<channel>} or {@code unsub:<channel>}. */
    List<String> calls() { return List.copyOf(calls); }

    /** The calls on one channel, as {@code sub} or {@code unsub}. */
    List<String> calls(ChannelName channel) {
        List<String> list = byChannel.get(channel);
        if (list == null) return List.of();
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    private void record(String what, ChannelName channel) {
        calls.add(what + ":" + channel.value());
        List<String> list = byChannel.computeIfAbsent(channel, c -> new ArrayList<>());
        synchronized (list) {
            list.add(what);
        }
    }

    @Override
    public void start(BrokerListener listener) { delegate.start(listener); }

    @Override
    public CompletionStage<Void> publish(Publication publication) { return delegate.publish(publication); }

    @Override
    public CompletionStage<Void> subscribe(ChannelName channel) {
        record("sub", channel);
        CompletionStage<Void> own = delegate.subscribe(channel);
        Function<ChannelName, CompletionStage<Void>> replacement = subscribeStage;
        return replacement == null ? own : replacement.apply(channel);
    }

    @Override
    public CompletionStage<Void> unsubscribe(ChannelName channel) {
        record("unsub", channel);
        return delegate.unsubscribe(channel);
    }

    @Override
    public boolean isHealthy() { return delegate.isHealthy(); }

    @Override
    public String describe() { return "recording " + delegate.describe(); }

    @Override
    public void close() { delegate.close(); }
}
