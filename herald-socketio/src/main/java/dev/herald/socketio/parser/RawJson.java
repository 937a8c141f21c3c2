package dev.herald.socketio.parser;

import java.util.Objects;

/**
 * A JSON value already serialized (for instance the {@code data} of a message read from Redis); the encoder
 * writes it verbatim instead of parsing and re-serializing it. The caller vouches that it is valid JSON.
 */
public record RawJson(String json) {
    public RawJson {
        Objects.requireNonNull(json, "json");
        if (json.isBlank()) throw new IllegalArgumentException("empty JSON");
    }
}
