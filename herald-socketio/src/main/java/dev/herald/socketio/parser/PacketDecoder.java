package dev.herald.socketio.parser;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes the Socket.IO v5 packets of one connection, following the reference parser: a text packet
 * {@code <type>[<attachments>-][<nsp>,][<id>][<json>]}, and for BINARY_EVENT / BINARY_ACK the binary messages
 * that follow it, one per attachment, which replace the {@code {"_placeholder":true,"num":n}} objects.
 *
 * <p>Stateful (binary reconstruction) and not thread-safe: one instance per connection, used from its loop.
 */
public final class PacketDecoder {

    private static final Set<String> RESERVED_EVENTS =
            Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

    private final ObjectMapper mapper;
    private final int maxAttachments;

    private Packet pending;
    private int expected;
    private final List<byte[]> buffers = new ArrayList<>();

    public PacketDecoder(ObjectMapper mapper, int maxAttachments) {
        this.mapper = mapper;
        this.maxAttachments = maxAttachments;
    }

    /** Whether the decoder waits for binary attachments. */
    public boolean isReconstructing() { return pending != null; }

    /**
     * @return the packet, or {@code null} when it announced attachments that have not arrived yet
     */
    public Packet decodeText(String text) throws InvalidPacketException {
        if (pending != null) throw new InvalidPacketException("got plaintext data when reconstructing a packet");
        if (text.isEmpty()) throw new InvalidPacketException("empty packet");
        PacketType type = PacketType.of(text.charAt(0));
        if (type == null) throw new InvalidPacketException("unknown packet type " + text.charAt(0));
        int i = 1;
        int attachments = 0;
        if (type.isBinary()) {
            int dash = text.indexOf('-', i);
            if (dash < 0 || dash == i || !allDigits(text, i, dash) || dash - i > 9) {
                throw new InvalidPacketException("illegal attachments");
            }
            attachments = Integer.parseInt(text, i, dash, 10);
            if (attachments > maxAttachments) throw new InvalidPacketException("too many attachments");
            i = dash + 1;
        }
        String namespace = "/";
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? text.length() : comma;
            namespace = text.substring(i, end);
            i = comma < 0 ? end : end + 1;
        }
        long id = -1;
        int idStart = i;
        while (i < text.length() && isDigit(text.charAt(i))) i++;
        if (i > idStart) {
            if (i - idStart > 15) throw new InvalidPacketException("invalid ack id");
            id = Long.parseLong(text, idStart, i, 10);
        }
        JsonNode data = null;
        if (i < text.length()) {
            try {
                data = mapper.readTree(text.substring(i));
            } catch (JacksonException e) {
                throw new InvalidPacketException("invalid payload");
            }
            if (data == null || !isPayloadValid(type, data)) throw new InvalidPacketException("invalid payload");
        } else if (type != PacketType.CONNECT && type != PacketType.DISCONNECT) {
            throw new InvalidPacketException("invalid payload");
        }
        Packet packet = new Packet(type, namespace, id, data);
        if (type.isBinary() && attachments > 0) {
            pending = packet;
            expected = attachments;
            return null;
        }
        return packet;
    }

    /**
     * @return the completed packet when this was its last attachment, {@code null} while more are due
     */
    public Packet decodeBinary(byte[] data) throws InvalidPacketException {
        if (pending == null) throw new InvalidPacketException("got binary data when not reconstructing a packet");
        buffers.add(data);
        if (buffers.size() < expected) return null;
        try {
            JsonNode rebuilt = replacePlaceholders(pending.data());
            return new Packet(pending.type(), pending.namespace(), pending.id(), rebuilt);
        } finally {
            reset();
        }
    }

    /** Forgets a packet under reconstruction (its connection closed). */
    public void reset() {
        pending = null;
        expected = 0;
        buffers.clear();
    }

    private JsonNode replacePlaceholders(JsonNode node) throws InvalidPacketException {
        if (node instanceof ObjectNode object) {
            JsonNode marker = object.get("_placeholder");
            if (marker != null && marker.isBoolean() && marker.booleanValue()) {
                JsonNode num = object.get("num");
                if (num == null || !num.canConvertToInt() || num.intValue() < 0 || num.intValue() >= buffers.size()) {
                    throw new InvalidPacketException("illegal attachments");
                }
                return BinaryNode.valueOf(buffers.get(num.intValue()));
            }
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                field.setValue(replacePlaceholders(field.getValue()));
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int k = 0; k < array.size(); k++) array.set(k, replacePlaceholders(array.get(k)));
            return array;
        }
        return node;
    }

    private static boolean isPayloadValid(PacketType type, JsonNode data) {
        return switch (type) {
            case CONNECT -> data.isObject();
            case DISCONNECT -> false;
            case CONNECT_ERROR -> data.isTextual() || data.isObject();
            case EVENT, BINARY_EVENT -> data.isArray() && !data.isEmpty()
                    && (data.get(0).isNumber() || (data.get(0).isTextual() && !RESERVED_EVENTS.contains(data.get(0).textValue())));
            case ACK, BINARY_ACK -> data.isArray();
        };
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static boolean allDigits(String s, int from, int to) {
        for (int k = from; k < to; k++) if (!isDigit(s.charAt(k))) return false;
        return true;
    }
}
