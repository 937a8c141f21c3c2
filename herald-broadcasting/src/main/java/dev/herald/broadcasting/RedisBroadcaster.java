package dev.herald.broadcasting;

import dev.herald.wire.Publication;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The {@code redis} driver: {@code PUBLISH <prefix><channel> <payload>} once per channel, the payload being the bytes
 * Laravel's RedisBroadcaster publishes. Laravel sends its PUBLISHes in one Lua script; here they are pipelined on one
 * connection, which puts the same messages on the same channels and lets each channel fail and retry on its own.
 *
 * <p>The connection is opened on the first broadcast (so an app starts while Redis is down) and again after a failed
 * attempt to open it. While it is open Lettuce reconnects by itself; commands issued while it is disconnected are
 * rejected at once rather than buffered, so that a failure reaches the caller (and its {@link RetryPolicy}) instead of
 * a publication being replayed after its caller gave up. Connect and command timeouts are the configured timeout.
 */
final class RedisBroadcaster extends AbstractBroadcaster {

    private static final Logger log = LoggerFactory.getLogger(RedisBroadcaster.class);

    static {
        // A Redis connection gains nothing from io_uring, and Lettuce warns on every client it creates when
        // both epoll and io_uring are on the class path (herald-socketio ships both): keep it on epoll, unless
        // the application says otherwise.
        if (System.getProperty("io.lettuce.core.iouring") == null) System.setProperty("io.lettuce.core.iouring", "false");
    }

    private final RedisClient client;
    private final RedisURI uri;
    private final byte[] prefix;
    private final Duration timeout;
    private final ExecutorService connector = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "herald-broadcasting-redis-connect");
        thread.setDaemon(true);
        return thread;
    });
    private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection;
    /** Completes when the last PUBLISH asked for has been handed to Lettuce (not answered); guarded by this. */
    private CompletableFuture<Void> issued = CompletableFuture.completedFuture(null);

    RedisBroadcaster(BroadcastConfig config, BroadcastEncoder encoder) {
        super("redis", encoder, config.timeout(), config.retryPolicy());
        this.uri = parse(config.redisUrl());
        this.uri.setTimeout(config.timeout());
        this.prefix = config.redisPrefix().getBytes(StandardCharsets.UTF_8);
        this.timeout = config.timeout();
        this.client = RedisClient.create();
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(config.timeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
                .build());
    }

    static RedisURI parse(String url) {
        try {
            return RedisURI.create(url);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid Redis URL " + redact(url) + " (REDIS_URL / broadcast.redis.url,"
                    + " e.g. redis://127.0.0.1:6379/0 or rediss://:password@host:6380): " + e.getMessage(), e);
        }
    }

    /** The URL without its password, for messages. */
    static String redact(String url) {
        return url == null ? "null" : url.replaceAll("//[^@/]*@", "//***@");
    }

    @Override
    CompletionStage<Void> send(Publication publication) {
        byte[] channel = publication.channel().value().getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[prefix.length + channel.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(channel, 0, key, prefix.length, channel.length);
        byte[] payload = BroadcastEncoder.payload(publication);
        CompletableFuture<Void> done = new CompletableFuture<>();
        done.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        synchronized (this) {
            CompletableFuture<StatefulRedisConnection<byte[], byte[]>> ready = connection();
            // Chained, not attached to the connection future directly: dependents of one future run in reverse
            // order, and the PUBLISHes must go out in the order of broadcastOn() (as Laravel's script sends them).
            issued = issued.thenCompose(previous -> ready.<Void>handle((open, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                    return null;
                }
                if (done.isDone()) return null; // timed out waiting for the connection: the caller was told
                try {
                    open.async().publish(key, payload).whenComplete((receivers, failure) -> {
                        if (failure != null) {
                            done.completeExceptionally(failure);
                            return;
                        }
                        log.debug("published [{}] on {} to {} Redis subscriber(s)", publication.event(),
                                new String(key, StandardCharsets.UTF_8), receivers);
                        done.complete(null);
                    });
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
                return null;
            }));
        }
        return done;
    }

    private synchronized CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection() {
        if (isClosed()) return CompletableFuture.failedFuture(new IllegalStateException("the broadcaster was closed"));
        if (connection == null || connection.isCompletedExceptionally()) {
            // Off the caller's thread: Lettuce's first connect starts event loops and loads classes (a second and
            // more on a busy machine), which would otherwise hold a synchronous broadcast past its timeout.
            connection = CompletableFuture.supplyAsync(() -> client.connectAsync(ByteArrayCodec.INSTANCE, uri), connector)
                    .thenCompose(future -> future);
        }
        return connection;
    }

    @Override
    void release() {
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> current;
        synchronized (this) {
            current = connection;
        }
        if (current != null) {
            current.thenAccept(StatefulRedisConnection::close);
        }
        connector.shutdown();
        client.shutdown(0, Math.max(2, timeout.toSeconds()), TimeUnit.SECONDS);
    }
}
