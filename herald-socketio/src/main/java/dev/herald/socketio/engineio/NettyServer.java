package dev.herald.socketio.engineio;

import dev.herald.socketio.IoTransport;
import dev.herald.socketio.SocketIoConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs an {@link EngineIoServer} on a TCP port: epoll when available, NIO otherwise, or the transport the
 * configuration names (io_uring too). {@link #stop()} closes
 * every session with a close packet (clients reconnect to the next server), then frees the port.
 */
public final class NettyServer {

    private static final Logger log = LoggerFactory.getLogger(NettyServer.class);
    private static final int IO_URING_CQ_SIZE = 16_384;

    private final SocketIoConfig config;
    private final EngineIoServer engine;
    private final Supplier<ChannelHandler> fallback;
    private EventLoopGroup group;
    private Channel serverChannel;

    /** @param fallback creates the handler for requests outside the Engine.IO path; {@code null} answers 404 */
    public NettyServer(EngineIoServer engine, Supplier<ChannelHandler> fallback) {
        this.config = engine.config();
        this.engine = engine;
        this.fallback = fallback;
    }

    public synchronized void start() {
        if (group != null) throw new IllegalStateException("already started");
        IoTransport transport = resolve(config.ioTransport());
        IoHandlerFactory io = switch (transport) {
            case EPOLL -> EpollIoHandler.newFactory();
            // A completion queue 4x Netty's default: with 250 connections a loop, broadcasts overflowed the default
            // 4,096 entries (a WARN per overflow, measured at 1,000 x 1,000/s); 16,384 did not (256 KiB per loop).
            case IO_URING -> IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setCqSize(IO_URING_CQ_SIZE));
            default -> NioIoHandler.newFactory();
        };
        Class<? extends ServerChannel> channelType = switch (transport) {
            case EPOLL -> EpollServerSocketChannel.class;
            case IO_URING -> IoUringServerSocketChannel.class;
            default -> NioServerSocketChannel.class;
        };
        group = new MultiThreadIoEventLoopGroup(config.ioThreads(), io);
        try {
            serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(config.writeBufferLow(), config.writeBufferHigh()))
                    .childHandler(new ServerChannelInitializer(engine, fallback))
                    .bind(config.host(), config.port())
                    .syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            group = null;
            throw e;
        }
        log.info("listening on {}:{} ({}, path {})", config.host(), port(), transport.name().toLowerCase(Locale.ROOT),
                config.path());
    }

    /** What {@code AUTO} means here, and a clear error when an explicit choice is not available. */
    private static IoTransport resolve(IoTransport asked) {
        return switch (asked) {
            case AUTO -> Epoll.isAvailable() ? IoTransport.EPOLL : IoTransport.NIO;
            case EPOLL -> {
                if (!Epoll.isAvailable()) throw new IllegalStateException("epoll is not available: " + Epoll.unavailabilityCause());
                yield IoTransport.EPOLL;
            }
            case IO_URING -> {
                if (!IoUring.isAvailable()) throw new IllegalStateException("io_uring is not available: " + IoUring.unavailabilityCause());
                yield IoTransport.IO_URING;
            }
            case NIO -> IoTransport.NIO;
        };
    }

    /** The bound port (useful with port 0); -1 when not started. */
    public synchronized int port() {
        return serverChannel == null ? -1 : ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public synchronized boolean isRunning() { return serverChannel != null; }

    /** Graceful stop: no new connections, every session closed with a close packet, threads ended. */
    public synchronized void stop() {
        if (group == null) return;
        serverChannel.close().syncUninterruptibly();
        engine.closeAll("server shutting down");
        group.shutdownGracefully(50, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        group = null;
        serverChannel = null;
        log.info("stopped");
    }
}
