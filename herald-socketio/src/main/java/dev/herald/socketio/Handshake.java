package dev.herald.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.handler.codec.http.HttpHeaders;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a client presented when it joined a namespace.
 *
 * @param auth    the CONNECT packet's auth payload, or {@code null} when the client sent none (then {@link #auth()}
 *                answers {@code {}})
 * @param query   query parameters of the Engine.IO handshake request
 * @param headers headers of the Engine.IO handshake request
 * @param address the client's address
 * @param time    when the namespace connection was made
 */
public record Handshake(JsonNode auth, Map<String, List<String>> query, HttpHeaders headers, SocketAddress address,
                        Instant time) {

    /**
     * The CONNECT packet's auth payload; {@code {}} when the client sent none, a new empty object on each call: most
     * clients send none, and an empty object kept per connection would cost ~80 bytes each.
     */
    @Override
    public JsonNode auth() {
        return auth != null ? auth : JsonNodeFactory.instance.objectNode();
    }

    /** The first value of a query parameter, or {@code null}. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
