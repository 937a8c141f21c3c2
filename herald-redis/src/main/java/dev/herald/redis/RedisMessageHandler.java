package dev.herald.redis;

import dev.herald.core.BrokerListener;
import dev.herald.core.LaravelMessageParser;
import dev.herald.core.MalformedMessageException;
import dev.herald.wire.Publication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one Redis message into a publication for the listener, or into a counted {@code onMalformed}. Runs on
 * Lettuce's event loop: it never blocks and never lets an exception out (Lettuce would only log it, but the
 * message would be half-handled).
 *
 * <p>Malformed kinds added to {@link LaravelMessageParser}'s: {@code foreign-prefix} (the Redis channel does
 * not start with the configured prefix) and {@code too-large} (more than {@code maxMessageBytes}).
 */
final class RedisMessageHandler {

    private static final Logger log = LoggerFactory.getLogger(RedisMessageHandler.class);

    private final String prefix;
    private final int maxMessageBytes;
    private final LaravelMessageParser parser;
    private volatile BrokerListener listener;

    RedisMessageHandler(String prefix, int maxMessageBytes) {
        this.prefix = prefix;
        this.maxMessageBytes = maxMessageBytes;
        this.parser = new LaravelMessageParser(maxMessageBytes);
    }

    void setListener(BrokerListener listener) {
        this.listener = listener;
    }

    void handle(String redisChannel, byte[] message) {
        BrokerListener target = listener;
        if (target == null) return;
        try {
            if (redisChannel == null || !redisChannel.startsWith(prefix)) {
                target.onMalformed("foreign-prefix", "channel " + abbreviate(redisChannel) + " does not start with the prefix '" + prefix + "'");
                return;
            }
            String channel = redisChannel.substring(prefix.length());
            if (message == null) {
                target.onMalformed("not-json", "empty message on " + abbreviate(channel));
                return;
            }
            if (message.length > maxMessageBytes) {
                target.onMalformed("too-large", "message of " + message.length + " bytes on " + abbreviate(channel)
                        + " exceeds maxMessageBytes (" + maxMessageBytes + ")");
                return;
            }
            Publication publication;
            try {
                publication = parser.parse(channel, message);
            } catch (MalformedMessageException e) {
                target.onMalformed(e.kind(), e.getMessage() + " (channel " + abbreviate(channel) + ")");
                return;
            }
            target.onPublication(publication);
        } catch (RuntimeException e) {
            log.error("handling a message on redis channel {} failed", abbreviate(redisChannel), e);
        }
    }

    private static String abbreviate(String s) {
        if (s == null) return "null";
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
