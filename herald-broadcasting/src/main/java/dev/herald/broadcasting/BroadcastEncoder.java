package dev.herald.broadcasting;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.wire.LaravelPayload;
import dev.herald.wire.PhpJson;
import dev.herald.wire.Publication;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns an event into what Laravel's {@code BroadcastEvent} + {@code RedisBroadcaster} publish: one
 * {@link Publication} per channel, all with the same event name, data and socket. Drivers call it; it is public so
 * that apps and tests can see the exact bytes ({@link #payload(Publication)}) without publishing.
 *
 * <p>The data is {@code broadcastWith()} (or the public properties) encoded by {@link PhpJsonMapper}, with a
 * {@code socket} key holding the socket id (or {@code null}) merged in as PHP's {@code array_merge} does: last, or in
 * place of an existing {@code socket} key. Laravel does the same ({@code BroadcastEvent::getPayloadFromEvent}), and
 * since {@code RedisBroadcaster} builds {@code 'data' => $payload} before pulling {@code socket} out of it, the key
 * stays in {@code data}: {@code {"event":"order.paid","data":{"orderId":42,"socket":null},"socket":null}}. (Laravel
 * adds it to the public properties only when the event uses the {@code InteractsWithSockets} trait, which
 * {@code make:event} puts in every event; here every event behaves so.) When the data is a JSON list, its elements are
 * keyed {@code "0"}, {@code "1"}, ... as {@code array_merge} does.
 *
 * <p>Thread-safe.
 */
public final class BroadcastEncoder {

    private static final JsonFactory PARSER_FACTORY = new JsonFactory();

    private final ObjectMapper mapper;

    /** With {@link PhpJsonMapper#create()}. */
    public BroadcastEncoder() {
        this(PhpJsonMapper.create());
    }

    /** With a mapper built from {@link PhpJsonMapper#builder()} (e.g. with extra modules). */
    public BroadcastEncoder(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /**
     * The publications for an event, one per channel of {@code broadcastOn()} in order; none when
     * {@code broadcastWhen()} is false or there is no channel.
     *
     * @throws IllegalArgumentException when the event cannot be encoded (no name, data that is not an object, NaN,
     *                                  a lone surrogate, a Jackson failure): a programming error, not worth a retry
     */
    public List<Publication> encode(ShouldBroadcast event, BroadcastOptions options) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(options, "options");
        if (!event.broadcastWhen()) return List.of();
        List<Channel> channels = event.broadcastOn();
        if (channels == null || channels.isEmpty()) return List.of();
        String name = event.broadcastAs();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("broadcastAs() of " + event.getClass().getName() + " is empty");
        }
        PhpJsonMapper.PhpGenerator.checkSurrogates(name);
        if (options.socket() != null) PhpJsonMapper.PhpGenerator.checkSurrogates(options.socket());
        String data = data(event, options.socket());
        List<Publication> publications = new ArrayList<>(channels.size());
        for (Channel channel : channels) {
            if (channel == null) {
                throw new IllegalArgumentException("broadcastOn() of " + event.getClass().getName() + " has a null channel");
            }
            publications.add(new Publication(channel.channelName(), name, data, options.socket()));
        }
        return publications;
    }

    /** The {@code data} object of an event as JSON text, {@code socket} key included. */
    public String data(ShouldBroadcast event, String socket) {
        Object body = event.broadcastWith();
        if (body == null) body = PublicProperties.of(event);
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode the data of " + event.getClass().getName() + ": "
                    + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot encode the data of " + event.getClass().getName() + ": "
                    + e.getMessage(), e);
        }
        return mergeSocket(json, socket, event.getClass().getName());
    }

    /** The bytes Laravel's RedisBroadcaster PUBLISHes for one publication. */
    public static byte[] payload(Publication publication) {
        return LaravelPayload.encode(publication);
    }

    /** {@code array_merge($data, ['socket' => $socket])} on JSON text: top-level values are kept verbatim. */
    static String mergeSocket(String json, String socket, String eventClass) {
        Map<String, String> entries = new LinkedHashMap<>();
        try (JsonParser parser = PARSER_FACTORY.createParser(json)) {
            JsonToken start = parser.nextToken();
            if (start == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    entries.put(name, slice(json, parser));
                }
            } else if (start == JsonToken.START_ARRAY) {
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    entries.put(Integer.toString(index++), slice(json, parser));
                }
            } else {
                throw new IllegalArgumentException("the data of " + eventClass + " is not an object, a map or a list"
                        + " but " + abbreviate(json) + " (Laravel's broadcastWith() returns an array)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-read encoded data: " + e.getMessage(), e);
        }
        entries.put("socket", socket == null ? "null" : PhpJson.quote(socket));
        StringBuilder sb = new StringBuilder(json.length() + 40).append('{');
        boolean first = true;
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            PhpJson.appendString(sb, entry.getKey());
            sb.append(':').append(entry.getValue());
        }
        return sb.append('}').toString();
    }

    private static String slice(String json, JsonParser parser) throws IOException {
        int start = (int) parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        parser.finishToken(); // a scalar is read lazily: make the location its end
        int end = (int) parser.currentLocation().getCharOffset();
        return json.substring(start, end);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
