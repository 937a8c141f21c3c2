package dev.herald.socketio.engineio;

import dev.herald.socketio.SocketIoConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.cors.CorsConfig;
import io.netty.handler.codec.http.cors.CorsConfigBuilder;
import io.netty.handler.codec.http.cors.CorsHandler;

import java.util.function.Supplier;

/**
 * The whole per-connection pipeline, in order:
 * <pre>
 *   http        HttpServerCodec              HTTP/1.1 framing (requests are bounded by the codec defaults)
 *   aggregator  HttpObjectAggregator         one FullHttpRequest; bodies over maxPayload get 413
 *   cors        CorsHandler (when enabled)   preflight answers and CORS headers on responses
 *   engineio    EngineIoRequestHandler       Engine.IO path: handshake, polling, WebSocket switch
 *   app         fallback (optional)          anything else: an embedding app's HTTP handler, or 404
 * </pre>
 * A WebSocket request rebuilds its own pipeline at the switch: the HTTP codec becomes the WebSocket frame
 * codec, followed by a WebSocketFrameAggregator and the session's WebSocketFrameHandler.
 */
public final class ServerChannelInitializer extends ChannelInitializer<SocketChannel> {

    private final SocketIoConfig config;
    private final EngineIoRequestHandler engineHandler;
    private final CorsConfig cors;
    private final Supplier<ChannelHandler> fallback;

    public ServerChannelInitializer(EngineIoServer server, Supplier<ChannelHandler> fallback) {
        this.config = server.config();
        this.engineHandler = new EngineIoRequestHandler(server);
        this.cors = corsConfig(config);
        this.fallback = fallback;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("http", new HttpServerCodec());
        p.addLast("aggregator", new HttpObjectAggregator(config.maxPayload()));
        if (cors != null) p.addLast("cors", new CorsHandler(cors));
        p.addLast(EngineIoRequestHandler.NAME, engineHandler);
        p.addLast("app", fallback != null ? fallback.get() : new NotFoundHandler());
    }

    private static CorsConfig corsConfig(SocketIoConfig config) {
        if (config.corsOrigins().isEmpty()) return null;
        CorsConfigBuilder builder = config.corsOrigins().contains("*")
                ? CorsConfigBuilder.forAnyOrigin()
                : CorsConfigBuilder.forOrigins(config.corsOrigins().toArray(String[]::new));
        builder.allowedRequestMethods(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS)
                .allowedRequestHeaders("content-type", "authorization", "x-socket-id")
                .maxAge(86400);
        if (config.corsCredentials()) builder.allowCredentials();
        return builder.build();
    }
}
