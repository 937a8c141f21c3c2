package dev.herald.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads what Laravel's RedisBroadcaster publishes, {@code {"event":"...","data":...,"socket":"..."|null}}, with
 * Jackson's streaming parser. {@code data} is not parsed into objects: its exact bytes are sliced out and kept
 * verbatim, so what the browser receives is what the app sent. Unknown keys are ignored. Thread-safe.
 */
public final class LaravelMessageParser {

    private final JsonFactory factory;

    public LaravelMessageParser(int maxMessageBytes) {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200)
                        .maxStringLength(maxMessageBytes).build())
                .build();
    }

    /**
     * @param channel the channel name, Redis key prefix already removed
     * @param message the message bytes
     * @throws MalformedMessageException with kinds {@code invalid-channel}, {@code not-json}, {@code not-object},
     *                                   {@code missing-event}, {@code invalid-event}, {@code missing-data},
     *                                   {@code invalid-socket}
     */
    public Publication parse(String channel, byte[] message) throws MalformedMessageException {
        String problem = ChannelName.problem(channel);
        if (problem != null) throw new MalformedMessageException("invalid-channel", problem + ": " + abbreviate(channel));
        String event = null;
        String data = null;
        String socket = null;
        try (JsonParser parser = factory.createParser(message)) {
            JsonToken first = parser.nextToken();
            if (first == null) throw new MalformedMessageException("not-json", "empty message");
            if (first != JsonToken.START_OBJECT) {
                throw new MalformedMessageException("not-object", "message is not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "event" -> {
                        if (value != JsonToken.VALUE_STRING) throw new MalformedMessageException("invalid-event", "event is not a string");
                        event = parser.getText();
                    }
                    case "data" -> {
                        int start = (int) parser.currentTokenLocation().getByteOffset();
                        parser.skipChildren();
                        parser.finishToken(); // a scalar is read lazily: make the location its end
                        int end = (int) parser.currentLocation().getByteOffset();
                        data = new String(message, start, end - start, StandardCharsets.UTF_8);
                    }
                    case "socket" -> {
                        if (value == JsonToken.VALUE_STRING) socket = parser.getText();
                        else if (value != JsonToken.VALUE_NULL) throw new MalformedMessageException("invalid-socket", "socket is neither a string nor null");
                    }
                    default -> parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) throw new MalformedMessageException("not-json", "truncated JSON object");
            if (parser.nextToken() != null) throw new MalformedMessageException("not-json", "trailing content after the JSON object");
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("not-json", "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedMessageException("not-json", "not JSON: " + e.getMessage());
        }
        if (event == null) throw new MalformedMessageException("missing-event", "no event name");
        if (event.isEmpty()) throw new MalformedMessageException("invalid-event", "empty event name");
        if (data == null) throw new MalformedMessageException("missing-data", "no data");
        return new Publication(new ChannelName(channel), event, data, socket);
    }

    private static String abbreviate(String s) {
        if (s == null) return "null";
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

}
