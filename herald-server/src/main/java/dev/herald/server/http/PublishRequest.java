package dev.herald.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /apps/{appId}/events}, as laravel-echo-server (and Pusher's HTTP API) take it:
 * {@code {"channel": "orders" | "channels": ["a","b"], "name": "order.paid", "data": {...} | "<json text>",
 * "socket_id": "..."}}. A {@code data} string that holds a JSON object or array (Pusher's form) is used as that
 * JSON; any other string is sent as a string.
 */
final class PublishRequest {

    static final int MAX_CHANNELS = 100;
    static final int MAX_EVENT_NAME = 200;

    private PublishRequest() {}

    /** @throws IllegalArgumentException with a message for the client */
    static List<Publication> parse(ObjectMapper mapper, String body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("the body must be a JSON object");
        String name = text(root, "name");
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("\"name\" (the event name) is required");
        if (name.length() > MAX_EVENT_NAME) throw new IllegalArgumentException("\"name\" is longer than " + MAX_EVENT_NAME + " characters");
        Set<String> channels = new LinkedHashSet<>();
        JsonNode one = root.get("channel");
        if (one != null) {
            if (!one.isTextual()) throw new IllegalArgumentException("\"channel\" must be a string");
            channels.add(one.textValue());
        }
        JsonNode many = root.get("channels");
        if (many != null) {
            if (!many.isArray()) throw new IllegalArgumentException("\"channels\" must be an array of strings");
            for (JsonNode c : many) {
                if (!c.isTextual()) throw new IllegalArgumentException("\"channels\" must be an array of strings");
                channels.add(c.textValue());
            }
        }
        if (channels.isEmpty()) throw new IllegalArgumentException("\"channel\" or \"channels\" is required");
        if (channels.size() > MAX_CHANNELS) throw new IllegalArgumentException("at most " + MAX_CHANNELS + " channels per request");
        String data = data(mapper, root.get("data"));
        JsonNode socketNode = root.get("socket_id");
        String socket = socketNode != null && socketNode.isTextual() ? socketNode.textValue() : null;
        List<Publication> publications = new ArrayList<>(channels.size());
        for (String channel : channels) {
            String problem = ChannelName.problem(channel);
            if (problem != null) throw new IllegalArgumentException("channel '" + abbreviate(channel) + "': " + problem);
            publications.add(new Publication(ChannelName.of(channel), name, data, socket));
        }
        return publications;
    }

    private static String data(ObjectMapper mapper, JsonNode data) {
        if (data == null || data.isNull() || data.isMissingNode()) return "{}";
        if (data.isTextual()) {
            String text = data.textValue().trim();
            if (text.startsWith("{") || text.startsWith("[")) {
                try {
                    JsonNode parsed = mapper.readTree(text);
                    if (parsed != null && parsed.isContainerNode()) return parsed.toString();
                } catch (JsonProcessingException e) {
                    // not JSON after all: a plain string
                }
            }
        }
        return data.toString();
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
