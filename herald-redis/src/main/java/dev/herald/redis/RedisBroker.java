package dev.herald.redis;

import dev.herald.core.Broker;
import dev.herald.core.BrokerException;
import dev.herald.core.BrokerListener;
import dev.herald.wire.ChannelName;
import dev.herald.wire.LaravelPayload;
import dev.herald.wire.Publication;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.protocol.RedisProtocolException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The broker of Herald nodes that share a Redis, and the receiver of what Laravel's RedisBroadcaster PUBLISHes.
 * Built on Lettuce with two connections: one in pub/sub mode that receives, one that PUBLISHes (a RESP2
 * connection in pub/sub mode cannot run other commands).
 *
 * <p>Behaviour, per the {@link Broker} contract:
 * <ul>
 *   <li><b>Start</b> connects both connections within the command timeout and throws a {@link BrokerException}
 *       ({@code cannot connect to redis://host:port/db: ...}) when Redis is not there: a node that starts without
 *       its broker would look healthy while delivering nothing, so the process should fail and be restarted by
 *       its supervisor. Once started, every later outage is ridden out by reconnecting in the background.</li>
 *   <li><b>Outages</b>: Lettuce reconnects by itself (backoff from 50 ms up to 2 s, jittered) and re-subscribes
 *       the channels and pattern Redis had confirmed. This broker also keeps the set of channels the node wants
 *       and, after each reconnect, subscribes those that a failed or timed-out SUBSCRIBE left out and drops those
 *       that a lost UNSUBSCRIBE left in. Messages published during an outage are lost (pub/sub is at most
 *       once).</li>
 *   <li><b>Commands</b> issued while the connection is down wait up to the command timeout for it to come back,
 *       then fail with a {@link BrokerException}; a publication is never dropped silently. A SUBSCRIBE that fails
 *       this way fails its stage, but the channel stays wanted and is subscribed after the reconnect.</li>
 *   <li><b>Incoming messages</b> are stripped of the prefix, size-checked and parsed on Lettuce's event loop, then
 *       handed to the listener; anything wrong goes to {@link BrokerListener#onMalformed} and is skipped.</li>
 * </ul>
 * Stages complete on Lettuce's threads: callers must not block in their callbacks.
 */
public final class RedisBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

    static {
        // A Redis connection gains nothing from io_uring, and Lettuce warns on every client it creates when
        // both epoll and io_uring are on the class path (herald-socketio ships both): keep it on epoll, unless
        // the application says otherwise.
        if (System.getProperty("io.lettuce.core.iouring") == null) System.setProperty("io.lettuce.core.iouring", "false");
    }

    /** Channel names as text, message bodies as the exact bytes (the JSON's {@code data} is sliced, not decoded). */
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private static final Duration RECONNECT_MIN = Duration.ofMillis(50);
    private static final Duration RECONNECT_MAX = Duration.ofSeconds(2);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private final RedisBrokerConfig config;
    private final String description;
    private final RedisMessageHandler handler;
    private final String pattern;

    /** Redis channel names (prefix included) the node wants; guarded by {@link #subscriptionLock} for writes. */
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    /** Redis channel names Redis confirmed, as reported by its subscribe/unsubscribe replies. */
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private volatile boolean patternConfirmed;
    /** Orders every (un)subscribe this broker sends, so the wanted set and the wire agree. */
    private final Object subscriptionLock = new Object();

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ClientResources resources;
    private volatile RedisClient client;
    private volatile StatefulRedisPubSubConnection<String, byte[]> pubsub;
    private volatile StatefulRedisConnection<String, byte[]> commands;

    public RedisBroker(RedisBrokerConfig config) {
        this.config = config;
        this.description = config.redactedUrl();
        this.handler = new RedisMessageHandler(config.prefix(), config.maxMessageBytes());
        this.pattern = globEscape(config.prefix()) + "*";
    }

    public RedisBrokerConfig config() { return config; }

    /**
     * Connects to Redis and, in pattern mode, PSUBSCRIBEs; blocks at most about three times the command timeout.
     *
     * @throws BrokerException when Redis cannot be reached or refuses the connection (wrong password, ...);
     *                         the broker is then closed
     */
    @Override
    public void start(BrokerListener listener) {
        if (listener == null) throw new NullPointerException("listener");
        if (closed.get()) throw new IllegalStateException("redis broker is closed");
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("already started");
        handler.setListener(listener);
        Duration timeout = config.commandTimeout();
        resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.fullJitter(RECONNECT_MIN, RECONNECT_MAX, 2, TimeUnit.MILLISECONDS))
                .build();
        client = RedisClient.create(resources, config.redisUri());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        try {
            // Both at once, under one deadline: connect timeout plus handshake, each bounded by the command timeout.
            var subscriber = client.connectPubSubAsync(CODEC, config.redisUri()).toCompletableFuture();
            var publisher = client.connectAsync(CODEC, config.redisUri()).toCompletableFuture();
            long connectMillis = 2 * timeout.toMillis();
            StatefulRedisPubSubConnection<String, byte[]> sub = subscriber.get(connectMillis, TimeUnit.MILLISECONDS);
            sub.addListener(new PubSubListener());
            sub.addListener(new ConnectionWatch("subscriber", true));
            pubsub = sub;
            StatefulRedisConnection<String, byte[]> pub = publisher.get(connectMillis, TimeUnit.MILLISECONDS);
            pub.addListener(new ConnectionWatch("publisher", false));
            commands = pub;
            if (config.subscribeMode() == SubscribeMode.PATTERN) {
                sub.async().psubscribe(pattern).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            close();
            throw new BrokerException("cannot connect to " + description + ": " + reason(e), e);
        }
        log.info("redis broker connected to {} (prefix '{}', {} mode)", description, config.prefix(),
                config.subscribeMode() == SubscribeMode.PATTERN ? "pattern " + pattern : "per-channel");
    }

    /** {@code PUBLISH <prefix><channel> <Laravel's JSON>}; completes when Redis accepted it. */
    @Override
    public CompletionStage<Void> publish(Publication publication) {
        StatefulRedisConnection<String, byte[]> connection = commands;
        if (connection == null || closed.get()) return failed(notRunning());
        String key = config.prefix() + publication.channel().value();
        byte[] payload = LaravelPayload.encode(publication);
        if (payload.length > config.maxMessageBytes()) {
            return failed(new BrokerException("publication of " + payload.length + " bytes on " + publication.channel()
                    + " exceeds maxMessageBytes (" + config.maxMessageBytes() + ")"));
        }
        return completion(connection.async().publish(key, payload), "PUBLISH " + key, connection);
    }

    /** {@code SUBSCRIBE <prefix><channel>} in per-channel mode; in pattern mode complete already. */
    @Override
    public CompletionStage<Void> subscribe(ChannelName channel) {
        StatefulRedisPubSubConnection<String, byte[]> connection = pubsub;
        if (connection == null || closed.get()) return failed(notRunning());
        if (config.subscribeMode() == SubscribeMode.PATTERN) return CompletableFuture.completedFuture(null);
        String key = config.prefix() + channel.value();
        RedisFuture<Void> future;
        synchronized (subscriptionLock) {
            wanted.add(key);
            future = connection.async().subscribe(key);
        }
        return completion(future, "SUBSCRIBE " + key, connection);
    }

    /** {@code UNSUBSCRIBE <prefix><channel>} in per-channel mode; in pattern mode complete already. */
    @Override
    public CompletionStage<Void> unsubscribe(ChannelName channel) {
        StatefulRedisPubSubConnection<String, byte[]> connection = pubsub;
        if (connection == null || closed.get()) return failed(notRunning());
        if (config.subscribeMode() == SubscribeMode.PATTERN) return CompletableFuture.completedFuture(null);
        String key = config.prefix() + channel.value();
        RedisFuture<Void> future;
        synchronized (subscriptionLock) {
            wanted.remove(key);
            future = connection.async().unsubscribe(key);
        }
        return completion(future, "UNSUBSCRIBE " + key, connection);
    }

    /** Both connections are open (false while reconnecting, and before start and after close). */
    @Override
    public boolean isHealthy() {
        StatefulRedisPubSubConnection<String, byte[]> sub = pubsub;
        StatefulRedisConnection<String, byte[]> pub = commands;
        return !closed.get() && sub != null && pub != null && sub.isOpen() && pub.isOpen();
    }

    /** The Redis URL without its password. */
    @Override
    public String describe() { return description; }

    /** Closes both connections and stops Lettuce's threads; pending stages fail. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        closeQuietly(pubsub);
        closeQuietly(commands);
        try {
            if (client != null) client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
        } catch (RuntimeException e) {
            log.debug("redis client shutdown: {}", e.toString());
        }
        try {
            if (resources != null) {
                resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .get(SHUTDOWN_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("redis client resources shutdown: {}", e.toString());
        }
        if (commands != null) log.info("redis broker for {} closed", description);
    }

    /** Channels (prefix included) Redis confirmed on the subscriber connection; for tests and diagnostics. */
    Set<String> confirmedChannels() { return Set.copyOf(confirmed); }

    // ------------------------------------------------------------------ reconnects

    /**
     * After the subscriber connection comes back: Lettuce re-subscribes what Redis had confirmed; subscribe what
     * is wanted but was never confirmed, unsubscribe what is confirmed but no longer wanted. Idempotent: Redis
     * answers a repeated (UN)SUBSCRIBE without harm. Runs off the event loop and never blocks.
     */
    private void reconcile() {
        StatefulRedisPubSubConnection<String, byte[]> connection = pubsub;
        if (connection == null || closed.get()) return;
        synchronized (subscriptionLock) {
            if (config.subscribeMode() == SubscribeMode.PATTERN) {
                if (!patternConfirmed) logFailure(connection.async().psubscribe(pattern), "PSUBSCRIBE " + pattern);
                return;
            }
            List<String> missing = new ArrayList<>();
            for (String key : wanted) if (!confirmed.contains(key)) missing.add(key);
            List<String> stale = new ArrayList<>();
            for (String key : confirmed) if (!wanted.contains(key)) stale.add(key);
            if (!missing.isEmpty()) {
                logFailure(connection.async().subscribe(missing.toArray(String[]::new)), "SUBSCRIBE of " + missing.size() + " channel(s)");
            }
            if (!stale.isEmpty()) {
                logFailure(connection.async().unsubscribe(stale.toArray(String[]::new)), "UNSUBSCRIBE of " + stale.size() + " channel(s)");
            }
            if (!missing.isEmpty() || !stale.isEmpty()) {
                log.info("after reconnecting to {}: subscribing {} and unsubscribing {} channel(s) the lost connection left behind",
                        description, missing.size(), stale.size());
            }
        }
    }

    private void logFailure(RedisFuture<?> future, String what) {
        future.whenComplete((ok, error) -> {
            if (error != null) log.warn("{} on {} after reconnecting failed: {}", what, description, reason(error));
        });
    }

    private final class PubSubListener extends io.lettuce.core.pubsub.RedisPubSubAdapter<String, byte[]> {
        @Override
        public void message(String channel, byte[] message) {
            handler.handle(channel, message);
        }

        @Override
        public void message(String pattern, String channel, byte[] message) {
            handler.handle(channel, message);
        }

        @Override
        public void subscribed(String channel, long count) { confirmed.add(channel); }

        @Override
        public void unsubscribed(String channel, long count) { confirmed.remove(channel); }

        @Override
        public void psubscribed(String p, long count) { if (pattern.equals(p)) patternConfirmed = true; }

        @Override
        public void punsubscribed(String p, long count) { if (pattern.equals(p)) patternConfirmed = false; }
    }

    /** Logs outages once each way and triggers {@link #reconcile()} when the subscriber connection is back. */
    private final class ConnectionWatch implements RedisConnectionStateListener {
        private final String role;
        private final boolean reconcile;
        private final AtomicBoolean down = new AtomicBoolean();

        ConnectionWatch(String role, boolean reconcile) {
            this.role = role;
            this.reconcile = reconcile;
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (closed.get()) return;
            if (down.compareAndSet(false, true)) log.warn("lost the {} connection to {}; reconnecting", role, description);
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (closed.get()) return;
            if (down.compareAndSet(true, false)) log.info("{} connection to {} is back", role, description);
            if (reconcile) {
                try {
                    resources.eventExecutorGroup().execute(RedisBroker.this::reconcile);
                } catch (RuntimeException e) {
                    log.debug("reconcile not scheduled: {}", e.toString()); // shutting down
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private CompletionStage<Void> completion(RedisFuture<?> future, String what, StatefulConnection<?, ?> connection) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        future.whenComplete((ok, error) -> {
            if (error == null) {
                result.complete(null);
            } else {
                String state = connection.isOpen() ? "" : " (connection is down, reconnecting)";
                result.completeExceptionally(new BrokerException(what + " on " + description + " failed" + state + ": " + reason(error), error));
            }
        });
        return result;
    }

    private BrokerException notRunning() {
        return new BrokerException("redis broker for " + description + (closed.get() ? " is closed" : " is not started"));
    }

    private static CompletionStage<Void> failed(BrokerException e) {
        return CompletableFuture.failedFuture(e);
    }

    /**
     * The telling part of an error chain: timeouts say so with the configured limit, and Lettuce's
     * "Unable to connect to host/&lt;unresolved&gt;:port" wrapper gives way to its cause (refused, WRONGPASS, ...).
     */
    private String reason(Throwable error) {
        Throwable t = error;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) t = t.getCause();
        if (t instanceof TimeoutException || t instanceof RedisCommandTimeoutException) {
            return "no answer within " + config.commandTimeout().toMillis() + " ms";
        }
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String message = c.getMessage();
            String causeMessage = c.getCause() == null ? null : c.getCause().getMessage();
            if (message == null || message.startsWith("Unable to connect to") || sb.indexOf(message) >= 0
                    || (causeMessage != null && message.contains(causeMessage))) {
                continue; // a wrapper that only repeats its cause
            }
            if (sb.length() > 0) sb.append(": ");
            sb.append(message);
        }
        if (sb.length() == 0) sb.append(t.getClass().getSimpleName());
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RedisProtocolException) return sb.append(" (is a Redis server listening there?)").toString();
        }
        return sb.toString();
    }

    private static void closeQuietly(StatefulConnection<?, ?> connection) {
        if (connection == null) return;
        try {
            connection.close();
        } catch (RuntimeException e) {
            log.debug("closing a redis connection: {}", e.toString());
        }
    }

    /** Escapes Redis glob characters so that the prefix matches literally in PSUBSCRIBE. */
    static String globEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }
}
