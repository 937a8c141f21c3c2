package dev.herald.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A decoded Socket.IO packet.
 *
 * @param type      packet type (a complete binary packet keeps its BINARY_* type)
 * @param namespace namespace, {@code /} when the wire omitted it
 * @param id        acknowledgement id, or {@code -1} when there is none
 * @param data      payload, with binary attachments in place as {@code BinaryNode}s; {@code null} when absent
 */
public record Packet(PacketType type, String namespace, long id, JsonNode data) {

    public boolean hasAck() { return id >= 0; }
}
