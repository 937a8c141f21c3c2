package dev.herald.server.conformance;

import dev.herald.server.ConformanceServer;
import dev.herald.socketio.SocketIoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Socket.IO cases of the official Socket.IO protocol suite (socketio/socket.io-protocol,
 * {@code test-suite/}), against {@link ConformanceServer#socketIo}: on {@code /socket.io/}, the main namespace
 * emits {@code auth} with the handshake's auth payload, answers {@code message} with {@code message-back} and
 * acknowledges {@code message-with-ack} with its arguments; {@code /custom} emits {@code auth}; connectTimeout
 * 1000 ms. (The suite's Engine.IO cases are those of {@link EngineIoProtocolTest}.)
 */
@DisplayName("Socket.IO protocol")
class SocketIoProtocolTest {

    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(1000);

    private static SocketIoServer server;
    private static HttpClient http;
    private static Polling polling;

    @BeforeAll
    static void start() {
        server = ConformanceServer.socketIo(ConformanceServer.suiteConfig("/socket.io/")
                .withPort(0)
                .withConnectTimeout(CONNECT_TIMEOUT));
        server.start();
        http = Polling.newHttpClient();
        polling = new Polling(http, server.port(), "/socket.io/");
        // Load the JDK client before the cases, so that it does not eat into a case's 300 ms before the first ping.
        try (WsClient ws = openEngineIo()) {
            ws.send("1");
            ws.awaitClosed();
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    /** An Engine.IO session over WebSocket, its open packet already read. */
    private static WsClient openEngineIo() {
        WsClient ws = WsClient.connect(http, polling.wsUri("EIO=4&transport=websocket"));
        assertThat(ws.nextText()).as("Engine.IO handshake").startsWith("0");
        return ws;
    }

    /** The suite's {@code initSocketIOConnection}: connected to the main namespace, its auth packet read. */
    private static WsClient openSocketIo() {
        WsClient ws = openEngineIo();
        ws.send("40");
        assertThat(ws.nextText()).as("Socket.IO handshake").startsWith("40");
        assertThat(ws.nextText()).as("auth packet").startsWith("42[\"auth\"");
        return ws;
    }

    /** Asserts a CONNECT answer: {@code prefix} then an object holding exactly a string sid. */
    private static void assertConnectPacket(String packet, String prefix) {
        assertThat(packet).startsWith(prefix);
        Map<String, Object> handshake = Json.parseObject(packet.substring(prefix.length()));
        assertThat(handshake).containsOnlyKeys("sid");
        assertThat(handshake.get("sid")).isInstanceOf(String.class);
    }

    @Nested
    @DisplayName("connect")
    class Connect {

        @Test
        void connectsToMainNamespace() {
            assertConnects("40", "40", "42[\"auth\",{}]");
        }

        @Test
        void connectsToMainNamespaceWithPayload() {
            assertConnects("40{\"token\":\"123\"}", "40", "42[\"auth\",{\"token\":\"123\"}]");
        }

        @Test
        void connectsToCustomNamespace() {
            assertConnects("40/custom,", "40/custom,", "42/custom,[\"auth\",{}]");
        }

        @Test
        void connectsToCustomNamespaceWithPayload() {
            assertConnects("40/custom,{\"token\":\"abc\"}", "40/custom,", "42/custom,[\"auth\",{\"token\":\"abc\"}]");
        }

        private void assertConnects(String connect, String answerPrefix, String authPacket) {
            try (WsClient ws = openEngineIo()) {
                ws.send(connect);

                assertConnectPacket(ws.nextText(), answerPrefix);
                assertThat(ws.next()).isEqualTo(authPacket);
            }
        }

        @Test
        void refusesUnknownNamespace() {
            try (WsClient ws = openEngineIo()) {
                ws.send("40/random");

                assertThat(ws.next()).isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
            }
        }

        @Test
        void closesUponInvalidHandshake() {
            try (WsClient ws = openEngineIo()) {
                ws.send("4abc");

                ws.awaitClosedAnsweringPings(WsClient.TIMEOUT);
            }
        }

        @Test
        void closesWhenNoHandshakeIsReceived() {
            long start = System.nanoTime();
            try (WsClient ws = openEngineIo()) {
                // Unlike the suite, answer pings: the session must end because of connectTimeout, not pingTimeout.
                List<Object> messages = ws.awaitClosedAnsweringPings(CONNECT_TIMEOUT.plus(WsClient.TIMEOUT));

                assertThat(messages).as("besides pings, at most a close packet").isSubsetOf("1");
                long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(elapsedMillis).as("closed after connectTimeout")
                        .isGreaterThanOrEqualTo(CONNECT_TIMEOUT.toMillis() - 20);
            }
        }
    }

    @Nested
    @DisplayName("disconnect")
    class Disconnect {

        @Test
        void disconnectsFromMainNamespace() {
            try (WsClient ws = openSocketIo()) {
                ws.send("41");

                assertThat(ws.next()).isEqualTo("2");
            }
        }

        @Test
        void connectsThenDisconnectsFromCustomNamespace() {
            try (WsClient ws = openSocketIo()) {
                assertThat(ws.next()).as("ping").isEqualTo("2");
                ws.send("3"); // the suite does not answer; the rest of the case must then fit in pingTimeout

                ws.send("40/custom");
                assertConnectPacket(ws.nextText(), "40/custom,");
                assertThat(ws.next()).isEqualTo("42/custom,[\"auth\",{}]");

                ws.send("41/custom");
                ws.send("42[\"message\",\"message to main namespace\"]");

                assertThat(ws.next()).isEqualTo("42[\"message-back\",\"message to main namespace\"]");
            }
        }
    }

    @Nested
    @DisplayName("message")
    class Message {

        @Test
        void sendsPlainTextPacket() {
            try (WsClient ws = openSocketIo()) {
                ws.send("42[\"message\",1,\"2\",{\"3\":[true]}]");

                assertThat(ws.next()).isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
            }
        }

        @Test
        void sendsPacketWithBinaryAttachments() {
            try (WsClient ws = openSocketIo()) {
                ws.send("452-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
                ws.send(new byte[] {1, 2, 3});
                ws.send(new byte[] {4, 5, 6});

                assertThat(ws.nextIgnoringPings()).isEqualTo(
                        "452-[\"message-back\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
                assertThat(ws.nextIgnoringPings()).isEqualTo(new byte[] {1, 2, 3});
                assertThat(ws.nextIgnoringPings()).isEqualTo(new byte[] {4, 5, 6});
            }
        }

        @Test
        void sendsPlainTextPacketWithAck() {
            try (WsClient ws = openSocketIo()) {
                ws.send("42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");

                assertThat(ws.next()).isEqualTo("43456[1,\"2\",{\"3\":[false]}]");
            }
        }

        @Test
        void sendsPacketWithBinaryAttachmentsAndAck() {
            try (WsClient ws = openSocketIo()) {
                ws.send("452-789[\"message-with-ack\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
                ws.send(new byte[] {1, 2, 3});
                ws.send(new byte[] {4, 5, 6});

                assertThat(ws.nextIgnoringPings()).isEqualTo(
                        "462-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
                assertThat(ws.nextIgnoringPings()).isEqualTo(new byte[] {1, 2, 3});
                assertThat(ws.nextIgnoringPings()).isEqualTo(new byte[] {4, 5, 6});
            }
        }

        @Test
        void closesUponUnknownPacketType() {
            assertClosesUpon("4abc");
        }

        @Test
        void closesUponInvalidPayloadFormat() {
            assertClosesUpon("42{}");
        }

        @Test
        void closesUponInvalidAckId() {
            assertClosesUpon("42abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
        }

        private void assertClosesUpon(String packet) {
            try (WsClient ws = openSocketIo()) {
                ws.send(packet);

                ws.awaitClosedAnsweringPings(WsClient.TIMEOUT);
            }
        }
    }
}
