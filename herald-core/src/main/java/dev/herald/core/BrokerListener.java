package dev.herald.core;

import dev.herald.wire.Publication;

/** What a broker reports to its node. Called from the broker's threads; implementations must not block. */
public interface BrokerListener {

    /** A publication arrived on a channel this node subscribed to (or on any channel, in pattern mode). */
    void onPublication(Publication publication);

    /**
     * A message was skipped because it could not be understood.
     *
     * @param kind   a short stable key for counting: the parser's kinds ({@code not-json}, {@code missing-event},
     *               ...; see {@link LaravelMessageParser#parse}) or a broker's own ({@code too-large},
     *               {@code foreign-prefix})
     * @param detail what was wrong, for the log
     */
    void onMalformed(String kind, String detail);
}
