package dev.herald.socketio;

import java.util.Locale;

/** The kernel interface the server's event loops use for sockets. */
public enum IoTransport {
    /** epoll when available (Linux), NIO otherwise: the default. */
    AUTO,
    /** Linux epoll; start fails where it is not available. */
    EPOLL,
    /** Linux io_uring (kernel 5.9+ and not disabled by {@code kernel.io_uring_disabled}); start fails otherwise. */
    IO_URING,
    /** Java NIO: anywhere. */
    NIO;

    /** {@code auto}, {@code epoll}, {@code io_uring} (or {@code io-uring}), {@code nio}, any case. */
    public static IoTransport parse(String name) {
        String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (IoTransport t : values()) {
            if (t.name().equals(key)) return t;
        }
        throw new IllegalArgumentException("unknown I/O transport '" + name + "' (auto, epoll, io_uring, nio)");
    }
}
