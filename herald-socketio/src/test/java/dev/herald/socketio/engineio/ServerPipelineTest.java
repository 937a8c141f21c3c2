package dev.herald.socketio.engineio;

import static dev.herald.socketio.engineio.EngineIoHarness.request;
import static dev.herald.socketio.engineio.EngineIoHarness.uri;
import static dev.herald.socketio.engineio.EngineIoHarness.webSocketRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.socketio.SocketIoConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The real per-connection pipeline of {@link ServerChannelInitializer} (HTTP codec, aggregator bounded by
 * maxPayload, CORS, Engine.IO handler, 404 fallback; after a WebSocket switch the frame codec, frame aggregator and
 * {@link WebSocketFrameHandler}), driven with bytes. No exception may reach the end of the pipeline.
 */
class ServerPipelineTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_PAYLOAD = 100;

    private EngineIoHarness harness = new EngineIoHarness(SocketIoConfig.defaults().withMaxPayload(MAX_PAYLOAD));
    private final List<WireConnection> connections = new ArrayList<>();

    @AfterEach
    void close() {
        try {
            connections.forEach(WireConnection::close);
        } finally {
            harness.close();
        }
    }

    private WireConnection connect() {
        WireConnection connection = new WireConnection(harness);
        connections.add(connection);
        return connection;
    }

    private static String readText(WireConnection connection) {
        WebSocketFrame frame = connection.readFrame();
        assertThat(frame).as("a frame from the server").isInstanceOf(TextWebSocketFrame.class);
        try {
            return ((TextWebSocketFrame) frame).text();
        } finally {
            frame.release();
        }
    }

    private static void assertError(HttpResult result, int code) {
        assertThat(result).isNotNull();
        assertThat(result.status()).as("status of %s", result.body()).isEqualTo(400);
        assertThat(result.json().get("code").intValue()).isEqualTo(code);
    }

    private String openPollingSession(WireConnection connection) {
        HttpResult open = connection.exchange(request(HttpMethod.GET, uri("EIO=4&transport=polling"), null));
        assertThat(open.status()).isEqualTo(200);
        return open.openPacket().get("sid").textValue();
    }

    /** Opens a session on WebSocket and returns its id, read from the open packet. */
    private String openWebSocketSession(WireConnection connection) throws Exception {
        HttpResult switching = connection.exchange(webSocketRequest("EIO=4&transport=websocket"));
        assertThat(switching.status()).isEqualTo(101);
        String open = readText(connection);
        assertThat(open).startsWith("0");
        JsonNode packet = MAPPER.readTree(open.substring(1));
        assertThat(packet.get("upgrades").toString()).isEqualTo("[]");
        return packet.get("sid").textValue();
    }

    @Nested
    class Http {

        @Test
        void pollingOverTheWire() {
            WireConnection connection = connect();
            String sid = openPollingSession(connection);

            HttpResult ok = connection.exchange(request(HttpMethod.POST, uri("EIO=4&transport=polling&sid=" + sid), "4hi"));

            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("ok");
            assertThat(ok.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("keep-alive");
            assertThat(harness.handler(sid).messages).containsExactly("hi");
        }

        @Test
        void otherPathsGet404() {
            HttpResult result = connect().exchange(request(HttpMethod.GET, "/elsewhere", null));

            assertThat(result.status()).isEqualTo(404);
        }

        @Test
        void aBodyOfExactlyMaxPayloadIsAccepted() {
            WireConnection connection = connect();
            String sid = openPollingSession(connection);
            String message = "x".repeat(MAX_PAYLOAD - 1);

            HttpResult result = connection.exchange(
                    request(HttpMethod.POST, uri("EIO=4&transport=polling&sid=" + sid), "4" + message));

            assertThat(result.status()).isEqualTo(200);
            assertThat(harness.handler(sid).messages).containsExactly(message);
        }

        @Test
        void aBodyAboveMaxPayloadIs413AndTheSessionSurvives() {
            WireConnection connection = connect();
            String sid = openPollingSession(connection);

            HttpResult result = connection.exchange(
                    request(HttpMethod.POST, uri("EIO=4&transport=polling&sid=" + sid), "4" + "x".repeat(MAX_PAYLOAD)));

            assertThat(result.status()).isEqualTo(413);
            assertThat(harness.handler(sid).messages).isEmpty();
            assertThat(harness.server.session(sid).isOpen()).isTrue();
            connection.server.checkException();
        }

        @Test
        void aChunkedBodyGrowingAboveMaxPayloadIs413AndTheConnectionCloses() {
            WireConnection connection = connect();
            String sid = openPollingSession(connection);
            String chunk = "x".repeat(60);
            String head = "POST " + uri("EIO=4&transport=polling&sid=" + sid) + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n";
            String body = "3c\r\n4" + chunk.substring(1) + "\r\n3c\r\n" + chunk + "\r\n0\r\n\r\n";

            connection.sendRaw(ByteBufUtil.writeAscii(ByteBufAllocator.DEFAULT, head + body));

            HttpResult result = connection.readResponse();
            assertThat(result.status()).isEqualTo(413);
            assertThat(connection.server.isOpen()).isFalse();
            assertThat(harness.handler(sid).messages).isEmpty();
        }

        @Test
        void aMalformedRequestGetsAnErrorWithoutException() {
            WireConnection connection = connect();

            connection.sendRaw(ByteBufUtil.writeAscii(ByteBufAllocator.DEFAULT, "\u0001\u0002 nonsense\r\n\r\n"));

            HttpResult result = connection.readResponse();
            assertThat(result).isNotNull();
            assertThat(result.status()).isBetween(400, 499);
            assertThat(harness.server.sessionCount()).isZero();
        }

        private WireConnection corsConnection() {
            harness.close();
            harness = new EngineIoHarness(SocketIoConfig.defaults().withCorsOrigins(List.of("https://app.example")));
            return connect();
        }

        private FullHttpRequest from(String origin, FullHttpRequest request) {
            request.headers().set(HttpHeaderNames.ORIGIN, origin);
            return request;
        }

        @Test
        void corsHeadersForAnAllowedOrigin() {
            WireConnection connection = corsConnection();

            HttpResult result = connection.exchange(
                    from("https://app.example", request(HttpMethod.GET, uri("EIO=4&transport=polling"), null)));

            assertThat(result.status()).isEqualTo(200);
            assertThat(result.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo("https://app.example");
        }

        @Test
        void corsHeadersOnErrorAnswersToo() {
            WireConnection connection = corsConnection();

            HttpResult result = connection.exchange(
                    from("https://app.example", request(HttpMethod.GET, uri("EIO=4&transport=tobi"), null)));

            assertError(result, 0);
            assertThat(result.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo("https://app.example");
        }

        @Test
        void corsPreflightIsAnswered() {
            WireConnection connection = corsConnection();
            FullHttpRequest preflight = from("https://app.example",
                    request(HttpMethod.OPTIONS, uri("EIO=4&transport=polling&sid=abc"), null));
            preflight.headers().set(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD, "POST");

            HttpResult result = connection.exchange(preflight);

            assertThat(result.status()).isEqualTo(200);
            assertThat(result.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo("https://app.example");
            assertThat(result.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS)).contains("POST");
        }

        @Test
        void noCorsHeadersForAnotherOrigin() {
            WireConnection connection = corsConnection();

            HttpResult result = connection.exchange(
                    from("https://evil.example", request(HttpMethod.GET, uri("EIO=4&transport=polling"), null)));

            assertThat(result.headers().contains(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isFalse();
        }
    }

    @Nested
    class WebSocket {

        @Test
        void handshakeSendsTheOpenPacketFirst() throws Exception {
            WireConnection connection = connect();

            String sid = openWebSocketSession(connection);

            assertThat(harness.server.session(sid).transportName()).isEqualTo("websocket");
            assertThat(connection.server.pipeline().get(WebSocketFrameHandler.class)).isNotNull();
            assertThat(connection.server.pipeline().get(EngineIoRequestHandler.class)).isNull();
        }

        @Test
        void theSessionKeepsTheHandshakesQueryAndHeadersButNotTheWebSocketKey() throws Exception {
            WireConnection connection = connect();

            EngineIoSession session = harness.server.session(openWebSocketSession(connection));

            assertThat(session.query()).containsEntry("EIO", List.of("4")).containsEntry("transport", List.of("websocket"));
            assertThat(session.headers().get("host")).as("read case-insensitively").isEqualTo("localhost");
            assertThat(session.headers().get(HttpHeaderNames.UPGRADE)).isEqualToIgnoringCase("websocket");
            assertThat(session.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)).as("spent after the handshake").isFalse();
            assertThat(session.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_VERSION)).isFalse();
            assertThatThrownBy(() -> session.headers().set("x-late", "1")).as("read-only")
                    .isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void messagesBothWays() throws Exception {
            WireConnection connection = connect();
            String sid = openWebSocketSession(connection);

            connection.send(new TextWebSocketFrame("4hello"));
            connection.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
            EngineIoSession session = harness.server.session(sid);
            session.sendMessage("back");
            session.sendBinary(new byte[] {4, 5});
            harness.settle();

            assertThat(harness.handler(sid).messages).containsExactly("hello");
            assertThat(harness.handler(sid).binaries).containsExactly(new byte[] {1, 2, 3});
            assertThat(readText(connection)).isEqualTo("4back");
            WebSocketFrame binary = connection.readFrame();
            try {
                assertThat(binary).isInstanceOf(BinaryWebSocketFrame.class);
                assertThat(ByteBufUtil.getBytes(binary.content())).containsExactly(4, 5);
            } finally {
                binary.release();
            }
        }

        @Test
        void anInvalidPacketClosesTheSessionAndTheConnection() throws Exception {
            WireConnection connection = connect();
            String sid = openWebSocketSession(connection);

            connection.send(new TextWebSocketFrame("abc"));

            assertThat(harness.server.session(sid)).isNull();
            assertThat(harness.handler(sid).closeReasons).containsExactly("parse error");
            assertThat(connection.server.isOpen()).isFalse();
        }

        @Test
        void aFrameAboveMaxPayloadClosesWithMessageTooBig() throws Exception {
            WireConnection connection = connect();
            String sid = openWebSocketSession(connection);

            connection.send(new TextWebSocketFrame("4" + "x".repeat(MAX_PAYLOAD)));

            WebSocketFrame close = connection.readFrame();
            try {
                assertThat(close).isInstanceOf(CloseWebSocketFrame.class);
                assertThat(((CloseWebSocketFrame) close).statusCode()).isEqualTo(WebSocketCloseStatus.MESSAGE_TOO_BIG.code());
            } finally {
                close.release();
            }
            assertThat(connection.server.isOpen()).isFalse();
            assertThat(harness.handler(sid).messages).isEmpty();
            assertThat(harness.server.session(sid)).isNull();
            connection.server.checkException();
        }

        @Test
        void aFragmentedMessageAboveMaxPayloadClosesTheConnection() throws Exception {
            WireConnection connection = connect();
            String sid = openWebSocketSession(connection);

            connection.send(new TextWebSocketFrame(false, 0, "4" + "x".repeat(MAX_PAYLOAD - 10)));
            connection.send(new ContinuationWebSocketFrame(true, 0, "x".repeat(20)));

            assertThat(connection.server.isOpen()).isFalse();
            assertThat(harness.handler(sid).messages).isEmpty();
            assertThat(harness.server.session(sid)).isNull();
        }

        @Test
        void aWebSocketPingIsAnsweredWithAPong() throws Exception {
            WireConnection connection = connect();
            openWebSocketSession(connection);

            connection.send(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {7, 8})));

            WebSocketFrame pong = connection.readFrame();
            try {
                assertThat(pong).isInstanceOf(PongWebSocketFrame.class);
                assertThat(ByteBufUtil.getBytes(pong.content())).containsExactly(7, 8);
            } finally {
                pong.release();
            }
        }

        @Test
        void aCloseFrameEndsTheSession() throws Exception {
            WireConnection connection = connect();
            String sid = openWebSocketSession(connection);

            connection.send(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));

            assertThat(connection.server.isOpen()).isFalse();
            assertThat(harness.handler(sid).closeReasons).containsExactly("transport close");
        }

        @Test
        void heartbeat() throws Exception {
            WireConnection connection = connect();
            String sid = openWebSocketSession(connection);

            harness.advance(harness.config.pingInterval());
            assertThat(readText(connection)).isEqualTo("2");
            connection.send(new TextWebSocketFrame("3"));
            harness.advance(harness.config.pingTimeout());
            assertThat(harness.server.session(sid).isOpen()).isTrue();

            harness.advance(harness.config.pingInterval().minus(harness.config.pingTimeout()));
            assertThat(readText(connection)).isEqualTo("2");
            harness.advance(harness.config.pingTimeout());

            assertThat(harness.server.session(sid)).isNull();
            assertThat(harness.handler(sid).closeReasons).containsExactly("ping timeout");
            assertThat(connection.server.isOpen()).isFalse();
        }

        @Test
        void serverCloseSendsAClosePacketThenACloseFrame() throws Exception {
            WireConnection connection = connect();
            String sid = openWebSocketSession(connection);

            harness.server.session(sid).close();
            harness.settle();

            assertThat(readText(connection)).isEqualTo("1");
            WebSocketFrame close = connection.readFrame();
            try {
                assertThat(close).isInstanceOf(CloseWebSocketFrame.class);
            } finally {
                close.release();
            }
            assertThat(connection.server.isOpen()).isFalse();
        }

        @Test
        void anUnknownSidIsRefusedBeforeTheSwitch() {
            WireConnection connection = connect();

            HttpResult result = connection.exchange(webSocketRequest("EIO=4&transport=websocket&sid=unknown"));

            assertError(result, 1);
            assertThat(result.closesConnection()).isTrue();
            assertThat(connection.server.isOpen()).isFalse();
        }

        @Test
        void aBadProtocolVersionIsRefusedBeforeTheSwitch() {
            assertError(connect().exchange(webSocketRequest("EIO=3&transport=websocket")), 5);
        }

        /** Node answers a polling request for a session whose transport is WebSocket with 400 "Bad request". */
        @Test
        void aPollingPostToAWebSocketSessionIsRefused() throws Exception {
            String sid = openWebSocketSession(connect());

            HttpResult result = connect().exchange(
                    request(HttpMethod.POST, uri("EIO=4&transport=polling&sid=" + sid), "4injected"));

            assertError(result, 3);
            assertThat(harness.handler(sid).messages).isEmpty();
        }

        @Test
        void aPollingGetToAWebSocketSessionIsRefused() throws Exception {
            String sid = openWebSocketSession(connect());

            assertError(connect().exchange(request(HttpMethod.GET, uri("EIO=4&transport=polling&sid=" + sid), null)), 3);
        }
    }

    @Nested
    class Upgrade {

        @Test
        void fromPollingToWebSocket() {
            WireConnection polling = connect();
            String sid = openPollingSession(polling);
            assertThat(polling.exchange(request(HttpMethod.GET, uri("EIO=4&transport=polling&sid=" + sid), null)))
                    .as("pending GET").isNull();
            WireConnection ws = connect();

            HttpResult switching = ws.exchange(webSocketRequest("EIO=4&transport=websocket&sid=" + sid));
            assertThat(switching.status()).isEqualTo(101);
            assertThat(ws.readFrame()).as("no open packet on a probe").isNull();

            ws.send(new TextWebSocketFrame("2probe"));
            assertThat(readText(ws)).isEqualTo("3probe");
            HttpResult noop = polling.readResponse();
            assertThat(noop.status()).isEqualTo(200);
            assertThat(noop.body()).isEqualTo("6");

            EngineIoSession session = harness.server.session(sid);
            session.sendMessage("during the upgrade");
            harness.settle();
            ws.send(new TextWebSocketFrame("5"));

            assertThat(session.transportName()).isEqualTo("websocket");
            assertThat(readText(ws)).isEqualTo("4during the upgrade");
            ws.send(new TextWebSocketFrame("4over websocket"));
            assertThat(harness.handler(sid).messages).containsExactly("over websocket");
            assertError(polling.exchange(request(HttpMethod.GET, uri("EIO=4&transport=polling&sid=" + sid), null)), 3);
            assertError(polling.exchange(request(HttpMethod.POST, uri("EIO=4&transport=polling&sid=" + sid), "4x")), 3);
        }

        @Test
        void aGetDuringTheUpgradeIsAnsweredWithNoopAtOnce() {
            WireConnection polling = connect();
            String sid = openPollingSession(polling);
            WireConnection ws = connect();
            ws.exchange(webSocketRequest("EIO=4&transport=websocket&sid=" + sid));
            ws.send(new TextWebSocketFrame("2probe"));
            assertThat(readText(ws)).isEqualTo("3probe");

            HttpResult result = polling.exchange(request(HttpMethod.GET, uri("EIO=4&transport=polling&sid=" + sid), null));

            assertThat(result.body()).isEqualTo("6");
        }

        @Test
        void aWrongProbeClosesTheCandidateAndKeepsPolling() {
            WireConnection polling = connect();
            String sid = openPollingSession(polling);
            WireConnection ws = connect();
            ws.exchange(webSocketRequest("EIO=4&transport=websocket&sid=" + sid));

            ws.send(new TextWebSocketFrame("4not a probe"));

            assertThat(ws.server.isOpen()).isFalse();
            EngineIoSession session = harness.server.session(sid);
            assertThat(session.isOpen()).isTrue();
            assertThat(session.transportName()).isEqualTo("polling");
            assertThat(harness.handler(sid).messages).isEmpty();
        }

        @Test
        void anUpgradeThatDoesNotCompleteInTimeIsAbandoned() {
            WireConnection polling = connect();
            String sid = openPollingSession(polling);
            WireConnection ws = connect();
            ws.exchange(webSocketRequest("EIO=4&transport=websocket&sid=" + sid));
            ws.send(new TextWebSocketFrame("2probe"));

            harness.advance(harness.config.upgradeTimeout());

            assertThat(ws.server.isOpen()).isFalse();
            assertThat(harness.server.session(sid).transportName()).isEqualTo("polling");
            assertThat(polling.exchange(request(HttpMethod.GET, uri("EIO=4&transport=polling&sid=" + sid), null)))
                    .as("a normal pending GET again").isNull();
        }

        @Test
        void upgradesAreRefusedWhenDisabled() {
            harness.close();
            harness = new EngineIoHarness(SocketIoConfig.defaults().withAllowUpgrades(false));
            WireConnection polling = connect();
            String sid = openPollingSession(polling);

            assertError(connect().exchange(webSocketRequest("EIO=4&transport=websocket&sid=" + sid)), 3);
        }
    }

    /**
     * A connection error (reset by peer, TLS failure...) on an HTTP connection is the pipeline's to handle: closed
     * quietly, not left to Netty's tail handler (which logs "An exceptionCaught() event was fired, and it reached
     * at the tail of the pipeline" and leaves the connection open).
     */
    @Test
    void anExceptionOnAnHttpConnectionIsHandledByThePipeline() {
        WireConnection connection = connect();
        openPollingSession(connection);

        connection.server.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

        connection.server.checkException();
        assertThat(connection.server.isOpen()).isFalse();
    }

    @Test
    void anExceptionOnAWebSocketConnectionIsHandledByThePipeline() throws Exception {
        WireConnection connection = connect();
        String sid = openWebSocketSession(connection);

        connection.server.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

        connection.server.checkException();
        assertThat(connection.server.isOpen()).isFalse();
        assertThat(harness.server.session(sid)).isNull();
    }

    @Test
    void noExceptionReachesTheEndOfAnyPipeline() {
        WireConnection connection = connect();
        connection.sendRaw(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        assertThat(connection.readResponse().status()).isEqualTo(404);
        connection.server.checkException();
    }
}
