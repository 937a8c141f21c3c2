package dev.herald.socketio;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Immutable server configuration. Start from {@link #defaults()} and derive with the {@code with*} methods.
 *
 * <p>Defaults follow the Node.js {@code engine.io}/{@code socket.io} servers so that unmodified clients
 * behave exactly as they do against Node, except {@code corsOrigins}, which is empty (no CORS headers)
 * until an operator lists the origins allowed to use HTTP long-polling from a browser.
 *
 * @param host               address to bind; {@code 0.0.0.0} for all interfaces
 * @param port               TCP port; {@code 0} picks a free port (see {@link SocketIoServer#port()})
 * @param path               Engine.IO path, with leading and trailing slash (default {@code /socket.io/})
 * @param pingInterval       how often the server sends a ping
 * @param pingTimeout        how long the server waits for the pong before closing the session
 * @param upgradeTimeout     how long a probed WebSocket may take to complete the upgrade
 * @param connectTimeout     how long a new Engine.IO session may wait before joining a namespace
 * @param maxPayload         largest accepted message (WebSocket frame or long-polling POST body), bytes
 * @param maxAttachments     largest number of binary attachments one Socket.IO packet may announce
 * @param allowUpgrades      whether polling sessions may upgrade to WebSocket
 * @param transports         enabled transports: {@code polling}, {@code websocket}
 * @param corsOrigins        origins allowed by CORS for long-polling; {@code ["*"]} allows any
 * @param corsCredentials    whether CORS responses allow credentials (cookies)
 * @param writeBufferLow     write-buffer low watermark per connection, bytes
 * @param writeBufferHigh    write-buffer high watermark per connection, bytes (channel becomes unwritable)
 * @param maxPendingBytes    outbound bytes a connection may queue before it is disconnected as a slow consumer
 * @param maxPendingBytesTotal outbound bytes all connections together may queue: each connection's limit is
 *                           {@code min(maxPendingBytes, max(8 KiB, maxPendingBytesTotal / connections))}
 * @param maxLoopBacklogBytes broadcast bytes an event loop may have queued and not yet written before the server,
 *                           out of CPU, sheds the connections a further broadcast is for (they are closed and
 *                           reconnect) instead of queuing it
 * @param maxBroadcastLag    how late a broadcast may reach its event loop: later, the loop is overloaded and closes
 *                           half of its connections (they reconnect), then again if broadcasts queued after that
 *                           are late too; late broadcasts are still written to the connections that remain
 * @param ioThreads          event-loop threads; {@code 0} means Netty's default (2 × cores)
 * @param ioTransport        the event loops' socket interface: {@code AUTO} (epoll when available, NIO otherwise),
 *                           {@code EPOLL}, {@code IO_URING} or {@code NIO}
 */
public record SocketIoConfig(
        String host,
        int port,
        String path,
        Duration pingInterval,
        Duration pingTimeout,
        Duration upgradeTimeout,
        Duration connectTimeout,
        int maxPayload,
        int maxAttachments,
        boolean allowUpgrades,
        List<String> transports,
        List<String> corsOrigins,
        boolean corsCredentials,
        int writeBufferLow,
        int writeBufferHigh,
        long maxPendingBytes,
        long maxPendingBytesTotal,
        long maxLoopBacklogBytes,
        Duration maxBroadcastLag,
        int ioThreads,
        IoTransport ioTransport) {

    public SocketIoConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        requirePositive(pingInterval, "pingInterval");
        requirePositive(pingTimeout, "pingTimeout");
        requirePositive(upgradeTimeout, "upgradeTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
        if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with '/', was " + path);
        if (!path.endsWith("/")) path = path + "/";
        if (maxPayload < 1) throw new IllegalArgumentException("maxPayload must be positive");
        if (maxAttachments < 0) throw new IllegalArgumentException("maxAttachments must be >= 0");
        transports = List.copyOf(transports);
        for (String t : transports) {
            if (!t.equals("polling") && !t.equals("websocket")) {
                throw new IllegalArgumentException("unknown transport '" + t + "' (polling, websocket)");
            }
        }
        if (transports.isEmpty()) throw new IllegalArgumentException("at least one transport is required");
        corsOrigins = List.copyOf(corsOrigins);
        if (writeBufferLow < 1 || writeBufferHigh < writeBufferLow) {
            throw new IllegalArgumentException("need 0 < writeBufferLow <= writeBufferHigh");
        }
        if (maxPendingBytes < writeBufferHigh) throw new IllegalArgumentException("maxPendingBytes must be >= writeBufferHigh");
        if (maxPendingBytesTotal < maxPendingBytes) throw new IllegalArgumentException("maxPendingBytesTotal must be >= maxPendingBytes");
        if (maxLoopBacklogBytes < 64 * 1024) throw new IllegalArgumentException("maxLoopBacklogBytes must be >= 64 KiB");
        requirePositive(maxBroadcastLag, "maxBroadcastLag");
        Objects.requireNonNull(ioTransport, "ioTransport");
        if (ioThreads < 0) throw new IllegalArgumentException("ioThreads must be >= 0");
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
    }

    /** Node.js socket.io's defaults, on port 3000 of all interfaces. */
    public static SocketIoConfig defaults() {
        return new SocketIoConfig("0.0.0.0", 3000, "/socket.io/",
                Duration.ofSeconds(25), Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(45),
                1_000_000, 10, true, List.of("polling", "websocket"), List.of(), false,
                512 * 1024, 1024 * 1024, 1024L * 1024, 128L * 1024 * 1024, 16L * 1024 * 1024, Duration.ofSeconds(5), 0, IoTransport.AUTO);
    }

    public boolean pollingEnabled() { return transports.contains("polling"); }
    public boolean websocketEnabled() { return transports.contains("websocket"); }

    public SocketIoConfig withHost(String v) { return new SocketIoConfig(v, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withPort(int v) { return new SocketIoConfig(host, v, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withPath(String v) { return new SocketIoConfig(host, port, v, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withPingInterval(Duration v) { return new SocketIoConfig(host, port, path, v, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withPingTimeout(Duration v) { return new SocketIoConfig(host, port, path, pingInterval, v, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withUpgradeTimeout(Duration v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, v, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withConnectTimeout(Duration v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, v, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withMaxPayload(int v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, v, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withMaxAttachments(int v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, v, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withAllowUpgrades(boolean v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, v, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withTransports(List<String> v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, v, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withCorsOrigins(List<String> v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, v, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withCorsCredentials(boolean v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, v, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withWriteBufferWaterMark(int low, int high) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, low, high, Math.max(maxPendingBytes, high), Math.max(maxPendingBytesTotal, Math.max(maxPendingBytes, high)), maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withMaxPendingBytes(long v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, v, Math.max(maxPendingBytesTotal, v), maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withMaxPendingBytesTotal(long v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, v, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withMaxLoopBacklogBytes(long v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, v, maxBroadcastLag, ioThreads, ioTransport); }
    public SocketIoConfig withMaxBroadcastLag(Duration v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, v, ioThreads, ioTransport); }
    public SocketIoConfig withIoThreads(int v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, v, ioTransport); }
    public SocketIoConfig withIoTransport(IoTransport v) { return new SocketIoConfig(host, port, path, pingInterval, pingTimeout, upgradeTimeout, connectTimeout, maxPayload, maxAttachments, allowUpgrades, transports, corsOrigins, corsCredentials, writeBufferLow, writeBufferHigh, maxPendingBytes, maxPendingBytesTotal, maxLoopBacklogBytes, maxBroadcastLag, ioThreads, v); }
}
