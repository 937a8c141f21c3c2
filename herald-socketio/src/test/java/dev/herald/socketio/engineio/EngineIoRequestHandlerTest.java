package dev.herald.socketio.engineio;

import static dev.herald.socketio.engineio.EngineIoHarness.request;
import static dev.herald.socketio.engineio.EngineIoHarness.uri;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.socketio.SocketIoConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link EngineIoRequestHandler} and the long-polling side of {@link EngineIoSession} in EmbeddedChannels:
 * the answers the Engine.IO v4 protocol and the Node.js reference server give, for valid and malformed requests.
 */
class EngineIoRequestHandlerTest {

    private static final String RS = "\u001e";

    private EngineIoHarness harness = new EngineIoHarness();

    @AfterEach
    void closeHarness() {
        harness.close();
    }

    private EngineIoHarness harness(SocketIoConfig config) {
        harness.close();
        harness = new EngineIoHarness(config);
        return harness;
    }

    private static void assertError(HttpResult result, int code, String message) {
        assertThat(result).as("response").isNotNull();
        assertThat(result.status()).as("status of %s", result.body()).isEqualTo(400);
        assertThat(result.contentType()).isEqualTo("application/json");
        assertThat(result.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(result.body().length());
        assertThat(result.json().get("code").intValue()).isEqualTo(code);
        assertThat(result.json().get("message").textValue()).isEqualTo(message);
    }

    private static void assertOk(HttpResult result, String body) {
        assertThat(result).as("response").isNotNull();
        assertThat(result.status()).as("status of %s", result.body()).isEqualTo(200);
        assertThat(result.contentType()).isEqualTo("text/plain; charset=UTF-8");
        assertThat(result.body()).isEqualTo(body);
    }

    @Nested
    class Handshake {

        @Test
        void pollingHandshakeAnswersTheOpenPacket() {
            EmbeddedChannel connection = harness.connection();

            HttpResult result = harness.get(connection, "EIO=4&transport=polling");

            assertThat(result.status()).isEqualTo(200);
            assertThat(result.contentType()).isEqualTo("text/plain; charset=UTF-8");
            assertThat(result.closesConnection()).isFalse();
            JsonNode open = result.openPacket();
            String sid = open.get("sid").textValue();
            assertThat(sid).hasSize(20).matches("[A-Za-z0-9_-]+");
            assertThat(open.get("upgrades").toString()).isEqualTo("[\"websocket\"]");
            assertThat(open.get("pingInterval").intValue()).isEqualTo(25000);
            assertThat(open.get("pingTimeout").intValue()).isEqualTo(20000);
            assertThat(open.get("maxPayload").intValue()).isEqualTo(1_000_000);
            assertThat(open.size()).isEqualTo(5);

            EngineIoSession session = harness.server.session(sid);
            assertThat(session).isNotNull();
            assertThat(session.transportName()).isEqualTo("polling");
            assertThat(session.isOpen()).isTrue();
            assertThat(session.query()).containsEntry("EIO", List.of("4")).containsEntry("transport", List.of("polling"));
            assertThat(session.headers().get(HttpHeaderNames.HOST)).isEqualTo("localhost");
            assertThat(harness.handler(sid).session).isSameAs(session);
            assertThat(harness.server.sessionCount()).isOne();
        }

        @Test
        void everyHandshakeOpensANewSession() {
            EmbeddedChannel connection = harness.connection();
            String first = harness.openPollingSession(connection);
            String second = harness.openPollingSession(connection);

            assertThat(first).isNotEqualTo(second);
            assertThat(harness.server.sessionCount()).isEqualTo(2);
        }

        @Test
        void thePathWithoutTrailingSlashIsTheEngineIoPath() {
            HttpResult result = harness.exchange(harness.connection(),
                    request(HttpMethod.GET, "/socket.io?EIO=4&transport=polling", null));

            assertThat(result.status()).isEqualTo(200);
            assertThat(result.body()).startsWith("0{\"sid\":\"");
        }

        @Test
        void theOpenPacketFollowsTheConfiguration() {
            harness(SocketIoConfig.defaults().withPath("/live").withPingInterval(Duration.ofMillis(300))
                    .withPingTimeout(Duration.ofMillis(200)).withMaxPayload(1000).withAllowUpgrades(false));

            HttpResult result = harness.exchange(harness.connection(),
                    request(HttpMethod.GET, "/live/?EIO=4&transport=polling", null));

            JsonNode open = result.openPacket();
            assertThat(open.get("upgrades").toString()).isEqualTo("[]");
            assertThat(open.get("pingInterval").intValue()).isEqualTo(300);
            assertThat(open.get("pingTimeout").intValue()).isEqualTo(200);
            assertThat(open.get("maxPayload").intValue()).isEqualTo(1000);
        }

        @Test
        void noUpgradeIsOfferedWhenWebSocketIsDisabled() {
            harness(SocketIoConfig.defaults().withTransports(List.of("polling")));

            assertThat(harness.get(harness.connection(), "EIO=4&transport=polling").openPacket().get("upgrades").toString())
                    .isEqualTo("[]");
        }

        @Test
        void aClientThatClosesItsConnectionIsAnsweredWithConnectionClose() {
            EmbeddedChannel connection = harness.connection();
            FullHttpRequest request = request(HttpMethod.GET, uri("EIO=4&transport=polling"), null);
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);

            HttpResult result = harness.exchange(connection, request);

            assertThat(result.status()).isEqualTo(200);
            assertThat(result.closesConnection()).isTrue();
            assertThat(connection.isOpen()).isFalse();
        }
    }

    @Nested
    class HandshakeErrors {

        @ParameterizedTest
        @ValueSource(strings = {"transport=polling", "EIO=3&transport=polling", "EIO=5&transport=polling", "EIO=&transport=polling",
                "EIO=four&transport=polling"})
        void unsupportedOrMissingProtocolVersion(String query) {
            assertError(harness.get(harness.connection(), query), 5, "Unsupported protocol version");
            assertThat(harness.server.sessionCount()).isZero();
        }

        @ParameterizedTest
        @ValueSource(strings = {"EIO=4", "EIO=4&transport=tobi", "EIO=4&transport=constructor", "EIO=4&transport=",
                "EIO=4&transport=webtransport"})
        void unknownTransport(String query) {
            assertError(harness.get(harness.connection(), query), 0, "Transport unknown");
            assertThat(harness.server.sessionCount()).isZero();
        }

        @Test
        void aDisabledTransportIsUnknown() {
            harness(SocketIoConfig.defaults().withTransports(List.of("websocket")));

            assertError(harness.get(harness.connection(), "EIO=4&transport=polling"), 0, "Transport unknown");
        }

        @ParameterizedTest
        @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS"})
        void handshakeWithAnotherMethodThanGet(String method) {
            HttpResult result = harness.exchange(harness.connection(),
                    request(HttpMethod.valueOf(method), uri("EIO=4&transport=polling"), "4hello"));

            assertError(result, 2, "Bad handshake method");
            assertThat(harness.server.sessionCount()).isZero();
        }

        @Test
        void webSocketTransportWithoutUpgradeHeaders() {
            assertError(harness.get(harness.connection(), "EIO=4&transport=websocket"), 3, "Bad request");
            assertThat(harness.server.sessionCount()).isZero();
        }

        @Test
        void upgradeHeadersWithThePollingTransport() {
            FullHttpRequest request = request(HttpMethod.GET, uri("EIO=4&transport=polling"), null);
            request.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);

            HttpResult result = harness.exchange(harness.connection(), request);

            assertError(result, 3, "Bad request");
            assertThat(result.closesConnection()).as("an upgrade request's connection is not reused").isTrue();
        }

        @Test
        void anErrorKeepsTheConnectionOpenForTheNextRequest() {
            EmbeddedChannel connection = harness.connection();
            assertError(harness.get(connection, "EIO=3&transport=polling"), 5, "Unsupported protocol version");

            assertThat(connection.isOpen()).isTrue();
            assertThat(harness.get(connection, "EIO=4&transport=polling").status()).isEqualTo(200);
        }
    }

    @Nested
    class SessionErrors {

        @Test
        void unknownSidOnGetAndPost() {
            EmbeddedChannel connection = harness.connection();
            assertError(harness.poll(connection, "unknown"), 1, "Session ID unknown");
            assertError(harness.push(connection, "unknown", "4hello"), 1, "Session ID unknown");
        }

        @ParameterizedTest
        @ValueSource(strings = {"PUT", "DELETE", "PATCH"})
        void anotherMethodThanGetOrPostOnASession(String method) {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);

            HttpResult result = harness.exchange(connection,
                    request(HttpMethod.valueOf(method), uri("EIO=4&transport=polling&sid=" + sid), "4hello"));

            assertError(result, 3, "Bad request");
            assertThat(harness.handler(sid).messages).isEmpty();
            assertThat(harness.server.session(sid).isOpen()).as("the session survives").isTrue();
        }

        @Test
        void webSocketTransportWithoutUpgradeOnAPollingSession() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);

            assertError(harness.get(connection, "EIO=4&transport=websocket&sid=" + sid), 3, "Bad request");
        }
    }

    @Nested
    class Polling {

        @Test
        void aPostWithSeveralPacketsIncludingBinary() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);

            HttpResult result = harness.push(connection, sid, "4hello" + RS + "4wörld" + RS + "bAQIDBA==" + RS + "4");

            assertOk(result, "ok");
            RecordingSessionHandler handler = harness.handler(sid);
            assertThat(handler.messages).containsExactly("hello", "wörld", "");
            assertThat(handler.binaries).containsExactly(new byte[] {1, 2, 3, 4});
        }

        @Test
        void aGetAnswersWhatWasQueuedInOnePayload() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);
            EngineIoSession session = harness.server.session(sid);
            session.sendMessage("hello");
            session.sendBinary(new byte[] {1, 2, 3, 4});
            session.sendMessage("é");
            harness.settle();

            assertOk(harness.poll(connection, sid), "4hello" + RS + "bAQIDBA==" + RS + "4é");
        }

        @Test
        void aPendingGetIsAnsweredWhenAPacketIsSent() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);
            assertThat(harness.poll(connection, sid)).as("nothing to send yet").isNull();

            harness.server.session(sid).sendMessage("later");
            harness.settle();

            assertOk(harness.readResponse(connection), "4later");
        }

        @Test
        void aGetWithoutKeepAliveIsAnsweredWithConnectionClose() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);
            harness.server.session(sid).sendMessage("x");
            harness.settle();
            FullHttpRequest request = request(HttpMethod.GET, uri("EIO=4&transport=polling&sid=" + sid), null);
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);

            HttpResult result = harness.exchange(connection, request);

            assertOk(result, "4x");
            assertThat(result.closesConnection()).isTrue();
            assertThat(connection.isOpen()).isFalse();
        }

        @Test
        void anInvalidPacketClosesTheSession() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);

            harness.push(connection, sid, "abc");

            assertThat(harness.server.session(sid)).isNull();
            assertThat(harness.handler(sid).closeReasons).singleElement().asString().startsWith("parse error");
            assertThat(harness.handler(sid).messages).isEmpty();
            assertError(harness.poll(connection, sid), 1, "Session ID unknown");
        }

        /** The official suite's "closes the session upon invalid packet format" expects 400 for the POST. */
        @Test
        void anInvalidPacketIsAnsweredWith400() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);

            assertError(harness.push(connection, sid, "abc"), 3, "Bad request");
        }

        @ParameterizedTest
        @ValueSource(strings = {"4a\u001e\u001e4b", "4a\u001e", "\u001e4a", "", "4a\u001ebAQ!ID", "b====", "b%%"})
        void aMalformedPayloadIsAnswered400AndClosesTheSession(String payload) {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);

            assertError(harness.push(connection, sid, payload), 3, "Bad request");

            assertThat(harness.server.session(sid)).isNull();
            assertThat(harness.handler(sid).messages).as("nothing of the payload is delivered").isEmpty();
            assertThat(harness.handler(sid).closeReasons).singleElement().asString().startsWith("parse error");
        }

        @Test
        void packetsAfterAnInvalidOneInTheSamePayloadAreDropped() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);

            harness.push(connection, sid, "4first" + RS + "x" + RS + "4second");

            // Node delivers the packets before the invalid one; none after it.
            assertThat(harness.handler(sid).messages).doesNotContain("second");
            assertThat(harness.server.session(sid)).isNull();
        }

        @Test
        void overlappingGetsCloseTheSession() {
            EmbeddedChannel first = harness.connection();
            EmbeddedChannel second = harness.connection();
            String sid = harness.openPollingSession(first);
            assertThat(harness.poll(first, sid)).as("pending").isNull();

            HttpResult overlapping = harness.poll(second, sid);

            assertError(overlapping, 3, "Bad request");
            assertOk(harness.readResponse(first), "1");
            assertThat(harness.server.session(sid)).isNull();
            assertThat(harness.handler(sid).closeReasons).containsExactly("overlap from client");
            assertError(harness.poll(first, sid), 1, "Session ID unknown");
        }

        @Test
        void aClosePacketAnswersThePendingGetWithNoop() {
            EmbeddedChannel polling = harness.connection();
            EmbeddedChannel pushing = harness.connection();
            String sid = harness.openPollingSession(polling);
            assertThat(harness.poll(polling, sid)).isNull();

            assertOk(harness.push(pushing, sid, "1"), "ok");

            assertOk(harness.readResponse(polling), "6");
            assertThat(harness.server.session(sid)).isNull();
            assertThat(harness.handler(sid).closeReasons).containsExactly("transport close");
        }

        @Test
        void aClosePacketWithoutPendingGetClosesAfterAGraceForTheGet() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);

            assertOk(harness.push(connection, sid, "1"), "ok");
            // A GET sent together with the POST still gets its noop.
            assertOk(harness.poll(connection, sid), "6");
            assertThat(harness.server.session(sid)).isNull();
        }

        @Test
        void aClosePacketWithoutAnyGetClosesOnceTheGraceIsOver() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);

            harness.push(connection, sid, "1" + RS + "4ignored");
            assertThat(harness.handler(sid).messages).as("nothing after the close packet").isEmpty();
            harness.advance(Duration.ofMillis(50));

            assertThat(harness.server.session(sid)).isNull();
            assertThat(harness.handler(sid).closeReasons).containsExactly("transport close");
        }

        @Test
        void aPendingGetWhoseConnectionDropsClosesTheSession() {
            EmbeddedChannel polling = harness.connection();
            String sid = harness.openPollingSession(polling);
            assertThat(harness.poll(polling, sid)).isNull();

            polling.close();
            harness.settle();

            assertThat(harness.server.session(sid)).isNull();
            assertThat(harness.handler(sid).closeReasons).containsExactly("poll connection closed prematurely");
        }

        @Test
        void serverCloseAnswersThePendingGetWithAClosePacket() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);
            assertThat(harness.poll(connection, sid)).isNull();

            harness.server.session(sid).close();
            harness.settle();

            assertOk(harness.readResponse(connection), "1");
            assertThat(harness.handler(sid).closeReasons).containsExactly("forced close");
        }

        @Test
        void noopPacketsAreIgnored() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);

            assertOk(harness.push(connection, sid, "6" + RS + "4x"), "ok");

            assertThat(harness.handler(sid).messages).containsExactly("x");
            assertThat(harness.server.session(sid).isOpen()).isTrue();
        }
    }

    @Nested
    class Heartbeat {

        private final Duration interval = Duration.ofSeconds(25);
        private final Duration timeout = Duration.ofSeconds(20);

        @Test
        void aPingIsSentAfterThePingInterval() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);
            assertThat(harness.poll(connection, sid)).isNull();

            harness.advance(interval.minusMillis(1));
            assertThat(harness.readResponse(connection)).as("no ping yet").isNull();
            harness.advance(Duration.ofMillis(1));

            assertOk(harness.readResponse(connection), "2");
        }

        @Test
        void aPongKeepsTheSessionAndSchedulesTheNextPing() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);
            harness.advance(interval);
            assertOk(harness.poll(connection, sid), "2");

            assertOk(harness.push(connection, sid, "3"), "ok");
            harness.advance(timeout);
            assertThat(harness.server.session(sid).isOpen()).isTrue();
            assertThat(harness.poll(connection, sid)).isNull();
            harness.advance(interval.minus(timeout));

            assertOk(harness.readResponse(connection), "2");
        }

        @Test
        void noPongWithinThePingTimeoutClosesTheSession() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);
            harness.advance(interval);
            assertOk(harness.poll(connection, sid), "2");

            harness.advance(timeout.minusMillis(1));
            assertThat(harness.server.session(sid)).isNotNull();
            harness.advance(Duration.ofMillis(1));

            assertThat(harness.server.session(sid)).isNull();
            assertThat(harness.handler(sid).closeReasons).containsExactly("ping timeout");
            assertError(harness.poll(connection, sid), 1, "Session ID unknown");
        }

        @Test
        void aPendingGetIsAnsweredWhenThePingTimesOut() {
            EmbeddedChannel connection = harness.connection();
            String sid = harness.openPollingSession(connection);
            harness.advance(interval);
            assertOk(harness.poll(connection, sid), "2");
            assertThat(harness.poll(connection, sid)).isNull();

            harness.advance(timeout);

            HttpResult answer = harness.readResponse(connection);
            assertThat(answer).isNotNull();
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isIn("1", "6");
        }
    }

    @Nested
    class OtherPaths {

        @ParameterizedTest
        @ValueSource(strings = {"/", "/other", "/socket.io/extra?EIO=4&transport=polling", "/socket.iox?EIO=4&transport=polling",
                "/engine.io/?EIO=4&transport=polling"})
        void fallThroughToTheNextHandler(String path) {
            HttpResult result = harness.exchange(harness.connection(), request(HttpMethod.GET, path, null));

            assertThat(result.status()).isEqualTo(404);
            assertThat(result.body()).isEqualTo("Not Found");
            assertThat(harness.server.sessionCount()).isZero();
        }

        @Test
        void aPostElsewhereFallsThroughWithItsBody() {
            HttpResult result = harness.exchange(harness.connection(), request(HttpMethod.POST, "/api/broadcast", "{\"x\":1}"));

            assertThat(result.status()).isEqualTo(404);
        }
    }
}
