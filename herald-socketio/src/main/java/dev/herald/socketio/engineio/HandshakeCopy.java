package dev.herald.socketio.engineio;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.util.AsciiString;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a session keeps of its handshake request for its whole life (the application reads it, as
 * {@code socket.handshake} in Node): flat immutable copies, the WebSocket handshake's own headers left out, and
 * the names and values every connection repeats ({@code EIO=4}, {@code transport=websocket}, {@code Host},
 * {@code Upgrade: websocket}...) shared instead of held once per connection. Tens of thousands of idle
 * connections make these bytes count.
 */
final class HandshakeCopy {

    /** Spent once the connection is upgraded. */
    private static final List<AsciiString> HANDSHAKE_ONLY = List.of(HttpHeaderNames.SEC_WEBSOCKET_KEY,
            HttpHeaderNames.SEC_WEBSOCKET_VERSION, HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS,
            HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);

    private static final Map<String, String> QUERY_WORDS = byItself("EIO", "4", "transport", "websocket", "polling",
            "sid", "t", "b64", "1");

    /** A query parameter's values when they are one common word: the same list for every connection. */
    private static final Map<String, List<String>> ONE_WORD = oneWordLists(QUERY_WORDS);

    private static final Map<AsciiString, AsciiString> HEADER_NAMES = byLowerCase(HttpHeaderNames.HOST,
            HttpHeaderNames.UPGRADE, HttpHeaderNames.CONNECTION, HttpHeaderNames.ORIGIN, HttpHeaderNames.USER_AGENT,
            HttpHeaderNames.ACCEPT, HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderNames.ACCEPT_LANGUAGE,
            HttpHeaderNames.COOKIE, HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.PRAGMA,
            HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.REFERER,
            HttpHeaderNames.AUTHORIZATION, AsciiString.cached("x-forwarded-for"), AsciiString.cached("x-real-ip"),
            AsciiString.cached("x-forwarded-proto"));

    private static final Map<String, String> HEADER_VALUES = byItself("websocket", "Upgrade", "upgrade",
            "keep-alive", "Keep-Alive", "close", "no-cache", "*/*", "gzip, deflate", "gzip, deflate, br",
            HttpHeaderValues.WEBSOCKET.toString());

    private HandshakeCopy() {}

    static Map<String, List<String>> query(Map<String, List<String>> query) {
        Map<String, List<String>> copy = new HashMap<>(query.size() * 2);
        query.forEach((name, values) -> copy.put(QUERY_WORDS.getOrDefault(name, name), sharedValues(values)));
        return Map.copyOf(copy);
    }

    static HttpHeaders headers(HttpHeaders headers) {
        CharSequence[] pairs = new CharSequence[headers.size() * 2];
        int i = 0;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            AsciiString name = AsciiString.of(header.getKey()).toLowerCase();
            if (HANDSHAKE_ONLY.contains(name)) continue;
            pairs[i++] = HEADER_NAMES.getOrDefault(name, name);
            String value = header.getValue().toString();
            pairs[i++] = HEADER_VALUES.getOrDefault(value, value);
        }
        return new ReadOnlyHttpHeaders(false, i == pairs.length ? pairs : Arrays.copyOf(pairs, i));
    }

    /** The values with the common words shared; one common word alone is the same list for every connection. */
    private static List<String> sharedValues(List<String> values) {
        List<String> common = values.size() == 1 ? ONE_WORD.get(values.get(0)) : null;
        if (common != null) return common;
        String[] shared = new String[values.size()];
        for (int i = 0; i < shared.length; i++) shared[i] = QUERY_WORDS.getOrDefault(values.get(i), values.get(i));
        return List.of(shared);
    }

    private static Map<String, List<String>> oneWordLists(Map<String, String> words) {
        Map<String, List<String>> map = new HashMap<>();
        for (String word : words.keySet()) map.put(word, List.of(word));
        return Map.copyOf(map);
    }

    private static Map<String, String> byItself(String... words) {
        Map<String, String> map = new HashMap<>();
        for (String word : words) map.put(word, word);
        return Map.copyOf(map);
    }

    private static Map<AsciiString, AsciiString> byLowerCase(AsciiString... names) {
        Map<AsciiString, AsciiString> map = new HashMap<>();
        for (AsciiString name : names) map.put(name.toLowerCase(), name);
        return Map.copyOf(map);
    }
}
