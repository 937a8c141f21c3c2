package dev.herald.server.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.DeliverySink;
import dev.herald.core.Node;
import dev.herald.core.Subscriber;
import dev.herald.core.TargetGroup;
import dev.herald.socketio.Ack;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.SocketIoServer;
import dev.herald.socketio.SocketIoSocket;
import dev.herald.socketio.SocketTargets;
import dev.herald.socketio.parser.RawJson;
import dev.herald.wire.ChannelKind;
import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Speaks laravel-echo's socket.io protocol on the main namespace and translates it into node calls: the
 * client emits {@code subscribe {channel, auth}} and {@code unsubscribe {channel}}; the relay delivers each
 * publication of a subscribed channel, encoded once for all its local subscribers, as
 * {@code [event, channel, data]} (or the tutorial's {@code [channel:event, data]} in seed format).
 *
 * <p>Guarded channels ({@code private-}, {@code presence-}) are refused with {@code subscription_error} until
 * their authorization exists; they are never silently joined.
 */
public final class SocketIoRelay implements DeliverySink {

    private static final Logger log = LoggerFactory.getLogger(SocketIoRelay.class);

    private final Node node;
    private final ObjectMapper mapper;
    private final Namespace namespace;
    private final RelayOptions options;
    private final LongAdder refused = new LongAdder();
    /** How a hub group becomes Socket.IO targets: one function, so each group derives it once. */
    private final Function<TargetGroup, SocketTargets> toTargets = group -> targetsOf(group.members());

    public SocketIoRelay(SocketIoServer server, Node node, RelayOptions options) {
        this.node = node;
        this.mapper = server.mapper();
        this.namespace = server.namespace("/");
        this.options = options;
        namespace.onConnection(this::onConnection);
        if (options.legacyBroadcastAll()) {
            log.warn("legacy broadcast-to-all is ON: every public event goes to every connected socket, "
                    + "subscribed or not. Any visitor can read any public channel's events. Use it only for pages "
                    + "that cannot subscribe.");
            node.addFirehose(this::broadcastToAll);
        }
    }

    /** Subscriptions refused so far (invalid, guarded or over the limit). */
    public long refusedCount() { return refused.sum(); }

    private void onConnection(SocketIoSocket socket) {
        SocketSubscriber subscriber = new SocketSubscriber(socket, this);
        socket.on("subscribe", (args, ack) -> onSubscribe(subscriber, args, ack));
        socket.on("unsubscribe", (args, ack) -> onUnsubscribe(subscriber, args, ack));
        socket.onDisconnect(reason -> node.disconnect(subscriber));
    }

    private void onSubscribe(SocketSubscriber subscriber, List<JsonNode> args, Ack ack) {
        String name = channelArgument(args);
        SocketIoSocket socket = subscriber.socket();
        String problem = name == null ? "subscribe needs {channel: \"name\"}" : ChannelName.problem(name);
        if (problem != null) {
            refuse(socket, name, 400, problem, ack);
            return;
        }
        ChannelName channel = ChannelName.of(name);
        if (channel.kind() != ChannelKind.PUBLIC) {
            refuse(socket, name, 403, channel.kind().name().toLowerCase() + " channels need authorization, "
                    + "which this server does not offer yet", ack);
            return;
        }
        Set<ChannelName> held = node.channelsOf(subscriber);
        if (held.size() >= options.maxChannelsPerSocket() && !held.contains(channel)) {
            refuse(socket, name, 429, "a socket may hold at most " + options.maxChannelsPerSocket() + " subscriptions", ack);
            return;
        }
        node.subscribe(channel, subscriber)
                .toCompletableFuture()
                .orTimeout(options.subscribeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, error) -> {
                    if (error == null) {
                        if (ack != null) ack.send(result(name, null));
                    } else {
                        log.warn("subscription of socket {} to {} failed: {}", socket.id(), name, error.toString());
                        node.unsubscribe(channel, subscriber);
                        refuse(socket, name, 503, "subscription could not be made live: " + error, ack);
                    }
                });
    }

    private void onUnsubscribe(SocketSubscriber subscriber, List<JsonNode> args, Ack ack) {
        String name = channelArgument(args);
        String problem = name == null ? "unsubscribe needs {channel: \"name\"}" : ChannelName.problem(name);
        if (problem == null) node.unsubscribe(ChannelName.of(name), subscriber);
        if (ack != null) ack.send(result(name, problem));
    }

    /** laravel-echo sends {@code {channel, auth}}; a bare string is accepted too. */
    private static String channelArgument(List<JsonNode> args) {
        if (args.isEmpty()) return null;
        JsonNode first = args.get(0);
        if (first.isTextual()) return first.textValue();
        JsonNode channel = first.get("channel");
        return channel != null && channel.isTextual() ? channel.textValue() : null;
    }

    private void refuse(SocketIoSocket socket, String channel, int status, String message, Ack ack) {
        refused.increment();
        log.debug("socket {}: subscription to {} refused ({}): {}", socket.id(), channel, status, message);
        // laravel-echo-server's shape: (channel, status); the message is extra, for people reading the frames.
        socket.emit("subscription_error", channel, status, message);
        if (ack != null) ack.send(result(channel, message));
    }

    private ObjectNode result(String channel, String error) {
        ObjectNode result = mapper.createObjectNode();
        result.put("channel", channel);
        result.put("ok", error == null);
        if (error != null) result.put("error", error);
        return result;
    }

    // ------------------------------------------------------------------ delivery

    @Override
    public void deliver(Publication publication, List<Subscriber> targets) {
        if (skipForFirehose(publication)) return;
        emit(List.of(targetsOf(targets)), null, publication);
    }

    /**
     * The hub's groups are one per event loop and live until the channel's membership changes; each is turned
     * into {@link SocketTargets} once, so a publication costs O(event loops) here, not O(subscribers).
     */
    @Override
    public int deliverGroups(Publication publication, List<TargetGroup> groups) {
        if (skipForFirehose(publication)) return 0;
        List<SocketTargets> targets = new ArrayList<>(groups.size());
        for (TargetGroup group : groups) targets.add(group.derived(toTargets));
        return emit(targets, publication.socket(), publication);
    }

    private SocketTargets targetsOf(List<Subscriber> subscribers) {
        List<SocketIoSocket> sockets = new ArrayList<>(subscribers.size());
        for (Subscriber subscriber : subscribers) sockets.add(((SocketSubscriber) subscriber).socket());
        return namespace.targets(sockets);
    }

    /** With the firehose on, it already sends public events to every socket, subscribers included. */
    private boolean skipForFirehose(Publication publication) {
        return options.legacyBroadcastAll() && publication.channel().kind() == ChannelKind.PUBLIC;
    }

    private void broadcastToAll(Publication publication) {
        if (publication.channel().kind() != ChannelKind.PUBLIC) return;
        List<SocketIoSocket> sockets = new ArrayList<>(namespace.sockets().size());
        for (SocketIoSocket socket : namespace.sockets()) {
            if (!socket.id().equals(publication.socket())) sockets.add(socket);
        }
        emit(List.of(namespace.targets(sockets)), null, publication);
    }

    private int emit(List<SocketTargets> targets, String except, Publication publication) {
        RawJson data = new RawJson(publication.data());
        String channel = publication.channel().value();
        if (options.eventFormat() == EventFormat.SEED) {
            return namespace.emitTo(targets, except, channel + ":" + publication.event(), data);
        }
        return namespace.emitTo(targets, except, publication.event(), channel, data);
    }
}
