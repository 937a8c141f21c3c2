package dev.herald.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.Node;
import dev.herald.core.NodeStats;
import dev.herald.wire.ChannelName;
import dev.herald.wire.Publication;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Herald's HTTP endpoints beside Socket.IO on the same port:
 * <pre>
 *   GET  /health                          liveness and broker state (503 when the broker is down)
 *   POST /apps/{appId}/events             publish (laravel-echo-server's body), API key required
 *   GET  /apps/{appId}/channels           channels with subscribers on this node, API key required
 *   GET  /apps/{appId}/channels/{name}    one channel, API key required
 *   GET  /, /console/*                    the web console
 * </pre>
 * The API key goes in {@code Authorization: Bearer <key>} or {@code ?auth_key=<key>}, as with
 * laravel-echo-server.
 */
@ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final Node node;
    private final ObjectMapper mapper;
    private final String appId;
    private final byte[] apiKey;
    private final Supplier<ConnectionStats> connections;
    private final ConsoleResources console;
    private final long startedAt = System.currentTimeMillis();

    /** What {@code /health} reports of the connections besides the node's counters. */
    public record ConnectionStats(int open, long slowConsumersClosed, long overloadShed) {}

    public ApiHandler(Node node, ObjectMapper mapper, String appId, String apiKey, Supplier<ConnectionStats> connections) {
        this.node = node;
        this.mapper = mapper;
        this.appId = appId;
        this.apiKey = apiKey.getBytes(StandardCharsets.UTF_8);
        this.connections = connections;
        this.console = new ConsoleResources();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        Channel channel = ctx.channel();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        try {
            if (path.equals("/health")) {
                if (!request.method().equals(HttpMethod.GET)) methodNotAllowed(channel, keepAlive);
                else health(channel, keepAlive);
            } else if (path.startsWith("/apps/")) {
                api(channel, keepAlive, request, uri);
            } else if (request.method().equals(HttpMethod.GET) && console.serve(channel, keepAlive, path)) {
                // served
            } else {
                HttpResponses.error(channel, keepAlive, HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path);
            }
        } catch (RuntimeException e) {
            log.error("HTTP {} {} failed", request.method(), path, e);
            HttpResponses.error(channel, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    private void health(Channel channel, boolean keepAlive) {
        NodeStats stats = node.stats();
        boolean healthy = node.broker().isHealthy();
        ObjectNode body = mapper.createObjectNode();
        body.put("status", healthy ? "ok" : "degraded");
        body.put("appId", appId);
        body.put("broker", node.broker().describe());
        body.put("brokerHealthy", healthy);
        ConnectionStats connectionStats = connections.get();
        body.put("connections", connectionStats.open());
        body.put("channels", stats.channels());
        body.put("published", stats.published());
        body.put("received", stats.received());
        body.put("delivered", stats.delivered());
        body.set("malformed", mapper.valueToTree(stats.malformed()));
        body.put("slowConsumersClosed", connectionStats.slowConsumersClosed());
        body.put("overloadShed", connectionStats.overloadShed());
        body.put("uptimeSeconds", (System.currentTimeMillis() - startedAt) / 1000);
        HttpResponses.json(channel, keepAlive, healthy ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body.toString());
    }

    private void api(Channel channel, boolean keepAlive, FullHttpRequest request, QueryStringDecoder uri) {
        // The key first: a caller without it learns nothing, not even the app id.
        if (!authorized(request, uri)) {
            HttpResponses.error(channel, keepAlive, HttpResponseStatus.UNAUTHORIZED,
                    "missing or wrong API key: send 'Authorization: Bearer <key>' or ?auth_key=<key>");
            return;
        }
        String[] parts = uri.path().substring("/apps/".length()).split("/", 3);
        if (parts.length < 2 || !parts[0].equals(appId)) {
            HttpResponses.error(channel, keepAlive, HttpResponseStatus.NOT_FOUND, "unknown app (this server's app id is '" + appId + "')");
            return;
        }
        String resource = parts[1];
        if (resource.equals("events") && parts.length == 2) {
            if (!request.method().equals(HttpMethod.POST)) methodNotAllowed(channel, keepAlive);
            else publish(channel, keepAlive, request.content().toString(StandardCharsets.UTF_8));
        } else if (resource.equals("channels") && parts.length == 2) {
            if (!request.method().equals(HttpMethod.GET)) methodNotAllowed(channel, keepAlive);
            else channels(channel, keepAlive, uri);
        } else if (resource.equals("channels")) {
            if (!request.method().equals(HttpMethod.GET)) methodNotAllowed(channel, keepAlive);
            else channel(channel, keepAlive, QueryStringDecoder.decodeComponent(parts[2]));
        } else {
            HttpResponses.error(channel, keepAlive, HttpResponseStatus.NOT_FOUND, "no such endpoint: " + uri.path());
        }
    }

    private boolean authorized(FullHttpRequest request, QueryStringDecoder uri) {
        String presented = null;
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) presented = header.substring(7).trim();
        List<String> query = uri.parameters().get("auth_key");
        if (presented == null && query != null && !query.isEmpty()) presented = query.get(0);
        return presented != null && MessageDigest.isEqual(apiKey, presented.getBytes(StandardCharsets.UTF_8));
    }

    private void publish(Channel channel, boolean keepAlive, String body) {
        List<Publication> publications;
        try {
            publications = PublishRequest.parse(mapper, body);
        } catch (IllegalArgumentException e) {
            HttpResponses.error(channel, keepAlive, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        CompletableFuture<?>[] all = publications.stream()
                .map(p -> node.publish(p).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(all).whenComplete((ok, error) -> {
            if (error == null) {
                HttpResponses.json(channel, keepAlive, HttpResponseStatus.OK, "{\"message\":\"ok\"}");
            } else {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                log.warn("publish failed: {}", cause.toString());
                HttpResponses.error(channel, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, "publish failed: " + cause.getMessage());
            }
        });
    }

    private void channels(Channel channel, boolean keepAlive, QueryStringDecoder uri) {
        List<String> prefixes = uri.parameters().get("filter_by_prefix");
        String prefix = prefixes == null || prefixes.isEmpty() ? "" : prefixes.get(0);
        ObjectNode body = mapper.createObjectNode();
        ObjectNode list = body.putObject("channels");
        for (Map.Entry<String, Integer> entry : node.channelCounts().entrySet()) {
            if (!entry.getKey().startsWith(prefix)) continue;
            list.putObject(entry.getKey()).put("subscription_count", entry.getValue()).put("occupied", true);
        }
        HttpResponses.json(channel, keepAlive, HttpResponseStatus.OK, body.toString());
    }

    private void channel(Channel channel, boolean keepAlive, String name) {
        String problem = ChannelName.problem(name);
        if (problem != null) {
            HttpResponses.error(channel, keepAlive, HttpResponseStatus.BAD_REQUEST, problem);
            return;
        }
        int count = node.subscriberCount(ChannelName.of(name));
        ObjectNode body = mapper.createObjectNode().put("subscription_count", count).put("occupied", count > 0);
        HttpResponses.json(channel, keepAlive, HttpResponseStatus.OK, body.toString());
    }

    private static void methodNotAllowed(Channel channel, boolean keepAlive) {
        HttpResponses.error(channel, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
    }
}
