package dev.herald.socketio;

/** Answers a client's acknowledgement request. Only the first call sends; any thread. */
@FunctionalInterface
public interface Ack {

    /** Sends the ACK with these arguments (JsonNode, byte[], RawJson, or anything Jackson serializes). */
    void send(Object... args);
}
