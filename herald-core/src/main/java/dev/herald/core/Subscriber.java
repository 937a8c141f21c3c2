package dev.herald.core;

/**
 * A local receiver of publications: a browser connection subscribed to channels through some protocol.
 * Identity is object identity; {@link #id()} is what a publication's {@code socket} (Laravel's
 * {@code toOthers()}) is compared with.
 */
public interface Subscriber {

    /** The connection id clients know (for Socket.IO: the socket id a page sends as {@code X-Socket-ID}). */
    String id();

    /** Delivers to this subscriber; the hub hands each sink all of its targets of a publication at once. */
    DeliverySink sink();

    /**
     * What this subscriber is delivered together with, e.g. the I/O thread that owns its connection; fixed for the
     * subscriber's life. The hub keeps each channel's subscribers grouped by sink and affinity, so that a protocol
     * can hand a publication to each thread as one unit without sorting the subscribers per publication.
     * {@code null} (the default): one group.
     */
    default Object affinity() { return null; }
}
