package dev.herald.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import org.HdrHistogram.Histogram;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Thousands of Socket.IO connections on a few event-loop threads (epoll when available): one process's slice of
 * the load. Connections are spread round-robin over the source addresses {@code 127.0.0.a .. 127.0.0.(a+k-1)},
 * since one source/destination address pair has only ~28k ephemeral ports. The process itself may hold at most
 * its open-files limit (20,000 here) sockets, so beyond that the load is spread over several processes, each with
 * its own source addresses ({@link Fleet}).
 */
public final class LoadGenerator implements AutoCloseable {

    /** Outcome of {@link #openAll}. */
    public record OpenResult(int requested, int connected, int failed, long startNanos, long elapsedNanos,
                             Histogram connectMicros, List<String> firstErrors) {
        public double perSecond() { return elapsedNanos == 0 ? 0 : connected * 1e9 / elapsedNanos; }
    }

    private final EventLoopGroup group;
    private final boolean epoll;
    private final InetSocketAddress server;
    private final URI uri;
    private final List<InetAddress> sources;
    private final ClientStats stats;
    private final ConcurrentLinkedQueue<BenchConnection> connections = new ConcurrentLinkedQueue<>();

    /**
     * @param threads         event-loop threads of the clients
     * @param sourceAddresses how many loopback source addresses to spread the connections over (1 = 127.0.0.1 only)
     */
    public LoadGenerator(String host, int port, int threads, int sourceAddresses, ClientStats stats) {
        this(host, port, threads, 1, sourceAddresses, stats);
    }

    /**
     * @param firstSource     the last byte of the first source address: 127.0.0.{@code firstSource}
     * @param sourceAddresses how many consecutive loopback source addresses to spread the connections over
     */
    public LoadGenerator(String host, int port, int threads, int firstSource, int sourceAddresses, ClientStats stats) {
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(threads, io);
        this.server = new InetSocketAddress(host, port);
        this.uri = URI.create("ws://" + host + ":" + port + "/socket.io/?EIO=4&transport=websocket");
        this.stats = stats;
        this.sources = new ArrayList<>();
        try {
            for (int i = 0; i < Math.max(1, sourceAddresses); i++) {
                int last = firstSource + i;
                if (last < 1 || last > 254) throw new IllegalArgumentException("source address 127.0.0." + last + " is out of range (1..254)");
                sources.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last}));
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public ClientStats stats() { return stats; }

    /** Opens one connection; the future completes once it is connected (and subscribed, when asked). */
    public CompletableFuture<BenchConnection> open(int index, String channel, boolean subscribe) {
        BenchConnection connection = new BenchConnection(index, channel, subscribe, stats);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .absoluteUpgradeUrl(false)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(60_000)
                .maxFramePayloadLength(1 << 20)
                .build();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                                new WebSocketClientProtocolHandler(config), connection);
                    }
                });
        connections.add(connection);
        InetAddress source = sources.get(index % sources.size());
        ChannelFuture connect = bootstrap.connect(server, new InetSocketAddress(source, 0));
        connect.addListener(f -> {
            if (!f.isSuccess()) connection.ready.completeExceptionally(f.cause());
        });
        return connection.ready;
    }

    /**
     * Opens {@code n} connections with at most {@code concurrency} handshakes in flight, and waits for all of them
     * (each at most {@code timeout}).
     */
    public OpenResult openAll(int n, IntFunction<String> channelOf, boolean subscribe, int concurrency, Duration timeout)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger failed = new AtomicInteger();
        Histogram connectMicros = new Histogram(3_600_000_000L, 3);
        List<String> errors = new ArrayList<>();
        List<CompletableFuture<BenchConnection>> all = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            CompletableFuture<BenchConnection> f = open(i, channelOf.apply(i), subscribe)
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((c, error) -> {
                        inFlight.release();
                        if (error != null) {
                            failed.incrementAndGet();
                            synchronized (errors) {
                                if (errors.size() < 5) errors.add(String.valueOf(error));
                            }
                        } else {
                            synchronized (connectMicros) {
                                connectMicros.recordValue((c.readyNanos - c.startedNanos) / 1000);
                            }
                        }
                    });
            all.add(f);
        }
        for (CompletableFuture<BenchConnection> f : all) {
            try {
                f.join();
            } catch (RuntimeException ignored) {
                // counted above
            }
        }
        long elapsed = System.nanoTime() - start;
        return new OpenResult(n, n - failed.get(), failed.get(), start, elapsed, connectMicros, errors);
    }

    /** The connections that are connected (and subscribed, when asked) so far. */
    public List<BenchConnection> readyConnections() {
        List<BenchConnection> ready = new ArrayList<>();
        for (BenchConnection c : connections) {
            if (c.ready.isDone() && !c.ready.isCompletedExceptionally()) ready.add(c);
        }
        return ready;
    }

    /** Closes every connection (counted as expected, not as unexpected closes). */
    public void closeAll() {
        BenchConnection c;
        while ((c = connections.poll()) != null) c.close();
    }

    @Override
    public void close() {
        closeAll();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
