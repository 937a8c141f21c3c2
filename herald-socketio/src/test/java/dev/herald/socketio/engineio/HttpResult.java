package dev.herald.socketio.engineio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A response read from a channel, copied out so the response itself can be released at once. */
record HttpResult(int status, HttpHeaders headers, String body) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Copies and releases the response. */
    static HttpResult of(FullHttpResponse response) {
        try {
            return new HttpResult(response.status().code(), response.headers().copy(),
                    response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }

    JsonNode json() {
        try {
            return MAPPER.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    String contentType() { return headers.get(HttpHeaderNames.CONTENT_TYPE); }

    boolean closesConnection() { return headers.contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true); }

    /** The JSON of an Engine.IO open packet answer ({@code 0{...}}). */
    JsonNode openPacket() {
        if (!body.startsWith("0")) throw new AssertionError("not an open packet: " + body);
        try {
            return MAPPER.readTree(body.substring(1));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
