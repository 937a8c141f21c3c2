package dev.herald.socketio.parser;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Encodes Socket.IO v5 packets straight into a buffer with Jackson's streaming generator. Binary values
 * ({@code byte[]}, {@code ByteBuffer}, {@code BinaryNode}) anywhere in the arguments become placeholders plus
 * attachments, turning EVENT into BINARY_EVENT and ACK into BINARY_ACK. {@link RawJson} values are written
 * verbatim (no re-serialization). Thread-safe.
 */
public final class PacketEncoder {

    private final ObjectMapper mapper;
    private final ByteBufAllocator alloc;

    public PacketEncoder(ObjectMapper mapper, ByteBufAllocator alloc) {
        this.mapper = mapper;
        this.alloc = alloc;
    }

    /** EVENT {@code [event, ...args]} with an optional ack id ({@code -1}: none). */
    public EncodedPacket event(String namespace, String event, long ackId, Object[] args) {
        return encode(PacketType.EVENT, namespace, ackId, event, args);
    }

    /** ACK {@code [...args]} answering {@code ackId}. */
    public EncodedPacket ack(String namespace, long ackId, Object[] args) {
        return encode(PacketType.ACK, namespace, ackId, null, args);
    }

    /** CONNECT answer {@code {"sid":...}}. */
    public EncodedPacket connect(String namespace, String socketId) {
        return simple(PacketType.CONNECT, namespace, "{\"sid\":\"" + socketId + "\"}");
    }

    /** CONNECT_ERROR {@code {"message":..., "data":...}}; {@code data} may be null. */
    public EncodedPacket connectError(String namespace, String message, Object data) {
        ObjectNode payload = mapper.createObjectNode().put("message", message);
        if (data != null) payload.set("data", mapper.valueToTree(data));
        return simple(PacketType.CONNECT_ERROR, namespace, payload.toString());
    }

    public EncodedPacket disconnect(String namespace) {
        return simple(PacketType.DISCONNECT, namespace, "");
    }

    private EncodedPacket simple(PacketType type, String namespace, String json) {
        StringBuilder sb = new StringBuilder().append('4').append(type.code());
        appendNamespace(sb, namespace);
        sb.append(json);
        return new EncodedPacket(Unpooled.copiedBuffer(sb, StandardCharsets.UTF_8), List.of());
    }

    private EncodedPacket encode(PacketType type, String namespace, long ackId, String event, Object[] args) {
        StringBuilder header = new StringBuilder(16).append('4').append(type.code());
        appendNamespace(header, namespace);
        if (ackId >= 0) header.append(ackId);
        ByteBuf buf = alloc.buffer(64 + header.length());
        List<ByteBuf> attachments = new ArrayList<>(0);
        try {
            buf.writeCharSequence(header, StandardCharsets.UTF_8);
            try (JsonGenerator gen = mapper.getFactory().createGenerator((java.io.OutputStream) new ByteBufOutputStream(buf), JsonEncoding.UTF8)) {
                gen.writeStartArray();
                if (event != null) gen.writeString(event);
                for (Object arg : args) writeValue(gen, arg, attachments);
                gen.writeEndArray();
            }
            if (!attachments.isEmpty()) {
                // Rare path: the header must announce the attachments, so rebuild it in front of the JSON.
                PacketType binaryType = type == PacketType.EVENT ? PacketType.BINARY_EVENT : PacketType.BINARY_ACK;
                StringBuilder binaryHeader = new StringBuilder(20).append('4').append(binaryType.code())
                        .append(attachments.size()).append('-');
                appendNamespace(binaryHeader, namespace);
                if (ackId >= 0) binaryHeader.append(ackId);
                int headerBytes = header.toString().getBytes(StandardCharsets.UTF_8).length;
                ByteBuf rebuilt = alloc.buffer(buf.readableBytes() + 8);
                rebuilt.writeCharSequence(binaryHeader, StandardCharsets.UTF_8);
                rebuilt.writeBytes(buf, buf.readerIndex() + headerBytes, buf.readableBytes() - headerBytes);
                buf.release();
                buf = rebuilt;
            }
            return new EncodedPacket(buf, attachments);
        } catch (IOException e) {
            buf.release();
            attachments.forEach(ByteBuf::release);
            throw new UncheckedIOException("cannot encode packet", e);
        } catch (RuntimeException e) {
            buf.release();
            attachments.forEach(ByteBuf::release);
            throw e;
        }
    }

    private void writeValue(JsonGenerator gen, Object value, List<ByteBuf> attachments) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else if (value instanceof String s) {
            gen.writeString(s);
        } else if (value instanceof RawJson raw) {
            gen.writeRawValue(raw.json());
        } else if (value instanceof byte[] bytes) {
            placeholder(gen, attachments, Unpooled.wrappedBuffer(bytes));
        } else if (value instanceof ByteBuffer bytes) {
            placeholder(gen, attachments, Unpooled.copiedBuffer(bytes.duplicate()));
        } else if (value instanceof BinaryNode binary) {
            placeholder(gen, attachments, Unpooled.wrappedBuffer(binary.binaryValue()));
        } else if (value instanceof ObjectNode object) {
            gen.writeStartObject();
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                gen.writeFieldName(field.getKey());
                writeValue(gen, field.getValue(), attachments);
            }
            gen.writeEndObject();
        } else if (value instanceof ArrayNode array) {
            gen.writeStartArray();
            for (JsonNode element : array) writeValue(gen, element, attachments);
            gen.writeEndArray();
        } else if (value instanceof JsonNode node) {
            gen.writeTree(node);
        } else if (value instanceof Number || value instanceof Boolean) {
            mapper.writeValue(gen, value);
        } else if (value instanceof Map<?, ?> map) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                gen.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(gen, entry.getValue(), attachments);
            }
            gen.writeEndObject();
        } else if (value instanceof Collection<?> collection) {
            gen.writeStartArray();
            for (Object element : collection) writeValue(gen, element, attachments);
            gen.writeEndArray();
        } else if (value instanceof Object[] array) {
            gen.writeStartArray();
            for (Object element : array) writeValue(gen, element, attachments);
            gen.writeEndArray();
        } else {
            // POJOs and records: through the tree, so binary fields still become attachments.
            writeValue(gen, mapper.valueToTree(value), attachments);
        }
    }

    private static void placeholder(JsonGenerator gen, List<ByteBuf> attachments, ByteBuf data) throws IOException {
        gen.writeStartObject();
        gen.writeBooleanField("_placeholder", true);
        gen.writeNumberField("num", attachments.size());
        gen.writeEndObject();
        attachments.add(data);
    }

    private static void appendNamespace(StringBuilder sb, String namespace) {
        if (!"/".equals(namespace)) sb.append(namespace).append(',');
    }
}
