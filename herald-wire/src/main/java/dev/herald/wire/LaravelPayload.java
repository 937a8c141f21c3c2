package dev.herald.wire;

import java.nio.charset.StandardCharsets;

/**
 * The message Laravel's RedisBroadcaster PUBLISHes: {@code {"event":"...","data":{...},"socket":"..."|null}},
 * keys in that order, strings escaped as PHP's {@code json_encode} does by default ({@code /} as {@code \/},
 * non-ASCII as a backslash-u escape), so the bytes equal Laravel's for the same event.
 */
public final class LaravelPayload {

    private LaravelPayload() {}

    /** Encodes a publication's payload (its channel goes into the Redis channel name, not the payload). */
    public static byte[] encode(Publication publication) {
        return encodeToString(publication).getBytes(StandardCharsets.UTF_8);
    }

    public static String encodeToString(Publication publication) {
        StringBuilder sb = new StringBuilder(publication.data().length() + publication.event().length() + 40);
        sb.append("{\"event\":");
        PhpJson.appendString(sb, publication.event());
        sb.append(",\"data\":").append(publication.data()).append(",\"socket\":");
        if (publication.socket() == null) sb.append("null");
        else PhpJson.appendString(sb, publication.socket());
        return sb.append('}').toString();
    }
}
