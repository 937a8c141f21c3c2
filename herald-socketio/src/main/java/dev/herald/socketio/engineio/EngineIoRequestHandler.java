package dev.herald.socketio.engineio;

import dev.herald.socketio.SocketIoConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cors.CorsHandler;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Routes HTTP requests on the Engine.IO path: verifies them as the reference server does (transport, sid,
 * method, protocol version), opens sessions, dispatches long-polling GET/POST to the session's loop, and turns
 * WebSocket requests into a session's transport or upgrade probe. Requests on other paths go down the
 * pipeline untouched.
 */
@ChannelHandler.Sharable
public final class EngineIoRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(EngineIoRequestHandler.class);

    static final String NAME = "engineio";
    private static final String WS_HANDLER = "engineio-ws";

    private final EngineIoServer server;
    private final SocketIoConfig config;

    public EngineIoRequestHandler(EngineIoServer server) {
        super(false);
        this.server = server;
        this.config = server.config();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            // Not HTTP we can read (bad request line, oversized headers): answer 400 and drop the connection.
            request.release();
            reply(ctx.channel(), false, EngineIoError.BAD_REQUEST);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        if (!matchesPath(uri.path())) {
            ctx.fireChannelRead(request);
            return;
        }
        try {
            handle(ctx, request, uri);
        } finally {
            request.release();
        }
    }

    private boolean matchesPath(String path) {
        String configured = config.path();
        return path.equals(configured) || path.equals(configured.substring(0, configured.length() - 1));
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        Map<String, List<String>> query = uri.parameters();
        boolean upgrade = isWebSocketUpgrade(request);
        String transport = param(query, "transport");
        if (transport == null || !config.transports().contains(transport)) {
            fail(ctx, request, EngineIoError.UNKNOWN_TRANSPORT);
            return;
        }
        if (upgrade != transport.equals("websocket")) {
            fail(ctx, request, EngineIoError.BAD_REQUEST);
            return;
        }
        String sid = param(query, "sid");
        if (sid == null) {
            handshake(ctx, request, query, transport);
            return;
        }
        EngineIoSession session = server.session(sid);
        if (session == null) {
            fail(ctx, request, EngineIoError.UNKNOWN_SID);
        } else if (upgrade) {
            if (!config.allowUpgrades()) {
                fail(ctx, request, EngineIoError.BAD_REQUEST);
                return;
            }
            upgradeProbe(ctx, request, session);
        } else if (request.method().equals(HttpMethod.GET)) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            Channel channel = ctx.channel();
            session.execute(() -> onPollGet(session, channel, keepAlive));
        } else if (request.method().equals(HttpMethod.POST)) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            Channel channel = ctx.channel();
            String body = request.content().toString(StandardCharsets.UTF_8);
            session.execute(() -> onPollPost(session, channel, keepAlive, body));
        } else {
            fail(ctx, request, EngineIoError.BAD_REQUEST);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and the like end up here; nothing to answer on a broken connection.
        log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    // ------------------------------------------------------------------ handshake

    private void handshake(ChannelHandlerContext ctx, FullHttpRequest request, Map<String, List<String>> query,
                           String transport) {
        if (!request.method().equals(HttpMethod.GET)) {
            fail(ctx, request, EngineIoError.BAD_HANDSHAKE_METHOD);
            return;
        }
        if (!"4".equals(param(query, "EIO"))) {
            fail(ctx, request, EngineIoError.UNSUPPORTED_PROTOCOL_VERSION);
            return;
        }
        Channel channel = ctx.channel();
        EngineIoSession session = new EngineIoSession(EngineIoServer.newId(), server, channel.eventLoop(),
                HandshakeCopy.query(query), HandshakeCopy.headers(request.headers()), channel.remoteAddress());
        if (transport.equals("polling")) {
            PollingTransport polling = new PollingTransport(session);
            server.register(session);
            polling.respondHandshake(channel, HttpUtil.isKeepAlive(request), server.openPacket(session.id(), true));
            session.open(polling, server.handlerFor(session));
        } else {
            WebSocketTransport ws = switchToWebSocket(ctx, request, session);
            if (ws == null) return;
            server.register(session);
            ws.write(PollingTransport.textFrame(server.openPacket(session.id(), false)));
            ws.flush();
            session.open(ws, server.handlerFor(session));
        }
    }

    // ------------------------------------------------------------------ polling

    private void onPollGet(EngineIoSession session, Channel channel, boolean keepAlive) {
        if (!session.isOpen()) {
            reply(channel, keepAlive, EngineIoError.UNKNOWN_SID);
        } else if (session.isUpgraded() || !(session.transport() instanceof PollingTransport polling)) {
            reply(channel, keepAlive, EngineIoError.BAD_REQUEST);
        } else if (session.isClosingByClient()) {
            polling.onGet(channel, keepAlive);
            session.close("transport close", false);
        } else if (!session.answerNoopIfUpgrading(channel, keepAlive) && !polling.onGet(channel, keepAlive)) {
            // Two GETs at once: the spec closes the session; the first GET gets the close packet.
            reply(channel, keepAlive, EngineIoError.BAD_REQUEST);
            session.close("overlap from client", true);
        }
    }

    private void onPollPost(EngineIoSession session, Channel channel, boolean keepAlive, String body) {
        if (!session.isOpen()) {
            reply(channel, keepAlive, EngineIoError.UNKNOWN_SID);
            return;
        }
        if (session.isUpgraded() || !(session.transport() instanceof PollingTransport)) {
            reply(channel, keepAlive, EngineIoError.BAD_REQUEST);
            return;
        }
        List<PollingPayload.Packet> packets;
        try {
            packets = PollingPayload.decode(body);
        } catch (IllegalArgumentException e) {
            reply(channel, keepAlive, EngineIoError.BAD_REQUEST);
            session.onError("parse error: " + e.getMessage());
            return;
        }
        PollingTransport.respond(channel, keepAlive, Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
        // Handled in a later task, as Node handles a body after its request: a GET sent together with this POST
        // (a client closing while it polls) is then registered first and gets its noop instead of a 400.
        session.eventLoop().execute(() -> {
            for (PollingPayload.Packet packet : packets) {
                if (!session.isOpen()) break;
                if (packet.isBinary()) session.onBinaryPacket(packet.binary());
                else session.onTextPacket(packet.text());
            }
        });
    }

    // ------------------------------------------------------------------ websocket

    private void upgradeProbe(ChannelHandlerContext ctx, FullHttpRequest request, EngineIoSession session) {
        WebSocketTransport ws = switchToWebSocket(ctx, request, session);
        if (ws != null) session.execute(() -> session.beginUpgrade(ws));
    }

    /** Completes the WebSocket handshake and rebuilds this connection's pipeline for frames. */
    private WebSocketTransport switchToWebSocket(ChannelHandlerContext ctx, FullHttpRequest request,
                                                 EngineIoSession session) {
        WebSocketDecoderConfig decoderConfig = server.webSocketDecoderConfig();
        String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory(location, null, decoderConfig).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return null;
        }
        Channel channel = ctx.channel();
        handshaker.handshake(channel, request);
        ChannelPipeline pipeline = ctx.pipeline();
        if (pipeline.get(CorsHandler.class) != null) pipeline.remove(CorsHandler.class);
        WebSocketTransport ws = new WebSocketTransport(channel);
        pipeline.replace(this, WS_HANDLER, new WebSocketFrameHandler(session, ws));
        pipeline.addBefore(WS_HANDLER, "ws-aggregator", new WebSocketFrameAggregator(config.maxPayload()));
        return ws;
    }

    private static boolean isWebSocketUpgrade(FullHttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    // ------------------------------------------------------------------ errors

    private static void fail(ChannelHandlerContext ctx, FullHttpRequest request, EngineIoError error) {
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !isWebSocketUpgrade(request);
        reply(ctx.channel(), keepAlive, error);
    }

    static void reply(Channel channel, boolean keepAlive, EngineIoError error) {
        HttpResponseStatus status = error == EngineIoError.FORBIDDEN ? HttpResponseStatus.FORBIDDEN : HttpResponseStatus.BAD_REQUEST;
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(error.json(), StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (keepAlive) {
            channel.writeAndFlush(response, channel.voidPromise());
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String param(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
