package dev.herald.socketio;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * Handles one event from a client. Runs on the connection's event loop: do not block in it (hand slow
 * work to another executor and answer the ack from there; {@link Ack} is thread-safe).
 */
@FunctionalInterface
public interface EventHandler {

    /**
     * @param args the event's arguments (binary attachments as {@code BinaryNode})
     * @param ack  the acknowledgement the client asked for, or {@code null} when it asked none
     */
    void onEvent(List<JsonNode> args, Ack ack);
}
