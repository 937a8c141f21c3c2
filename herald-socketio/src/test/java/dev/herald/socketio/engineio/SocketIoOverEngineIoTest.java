package dev.herald.socketio.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.socketio.SocketIoConfig;
import dev.herald.socketio.SocketIoServer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.lang.reflect.Field;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@link SocketIoServer}'s Socket.IO layer on its Engine.IO server, in EmbeddedChannels: what malformed
 * Socket.IO packets (the decoder's rejections, truncated binary attachments) do to the connection. The spec's
 * answer is to close the connection; nothing may escape the pipeline or leak.
 */
class SocketIoOverEngineIoTest {

    private static final String RS = "\u001e";
    private static final String P0 = "{\"_placeholder\":true,\"num\":0}";
    private static final String P1 = "{\"_placeholder\":true,\"num\":1}";

    private SocketIoServer io;
    private EngineIoHarness harness;
    private EmbeddedChannel connection;

    @BeforeEach
    void start() throws Exception {
        io = new SocketIoServer(SocketIoConfig.defaults());
        io.namespace("/").onConnection(socket -> socket.on("echo", (args, ack) -> {
            if (ack != null) ack.send(args.toArray());
            else socket.emit("echo-back", args.toArray());
        }));
        harness = new EngineIoHarness(engineOf(io));
        connection = harness.connection();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    /** The server's Engine.IO side (not exposed: it normally only runs behind the server's own port). */
    private static EngineIoServer engineOf(SocketIoServer server) throws ReflectiveOperationException {
        Field field = SocketIoServer.class.getDeclaredField("engine");
        field.setAccessible(true);
        return (EngineIoServer) field.get(server);
    }

    /** An Engine.IO session joined to the main namespace; returns the Engine.IO session id. */
    private String connectToMainNamespace() {
        String sid = harness.openPollingSession(connection);
        assertThat(harness.push(connection, sid, "40").body()).isEqualTo("ok");
        assertThat(harness.poll(connection, sid).body()).startsWith("40{\"sid\":\"");
        harness.advance(Duration.ofMillis(1)); // connection handlers run a moment after the CONNECT answer
        return sid;
    }

    private void assertClosed(String sid) {
        assertThat(harness.server.session(sid)).as("session closed").isNull();
        HttpResult poll = harness.poll(connection, sid);
        assertThat(poll.status()).isEqualTo(400);
        assertThat(poll.json().get("code").intValue()).isEqualTo(1);
    }

    @Test
    void eventWithAck() {
        String sid = connectToMainNamespace();

        harness.push(connection, sid, "421[\"echo\",1,\"a\",{\"b\":[true]}]");

        assertThat(harness.poll(connection, sid).body()).isEqualTo("431[1,\"a\",{\"b\":[true]}]");
    }

    @Test
    void binaryEventWithItsAttachmentsInTheSamePayload() {
        String sid = connectToMainNamespace();

        harness.push(connection, sid, "452-[\"echo\"," + P0 + ",{\"x\":" + P1 + "}]" + RS + "bAQID" + RS + "bBAU=");

        assertThat(harness.poll(connection, sid).body())
                .isEqualTo("452-[\"echo-back\"," + P0 + ",{\"x\":" + P1 + "}]" + RS + "bAQID" + RS + "bBAU=");
    }

    @Test
    void binaryAttachmentsInLaterPosts() {
        String sid = connectToMainNamespace();

        harness.push(connection, sid, "452-[\"echo\"," + P0 + "," + P1 + "]");
        harness.push(connection, sid, "bAQID");
        assertThat(harness.server.session(sid).isOpen()).isTrue();
        harness.push(connection, sid, "bBAU=");

        assertThat(harness.poll(connection, sid).body())
                .isEqualTo("452-[\"echo-back\"," + P0 + "," + P1 + "]" + RS + "bAQID" + RS + "bBAU=");
    }

    @Test
    void anUnknownNamespaceIsAConnectErrorNotAClose() {
        String sid = harness.openPollingSession(connection);

        harness.push(connection, sid, "40/nope,");

        assertThat(harness.poll(connection, sid).body()).isEqualTo("44/nope,{\"message\":\"Invalid namespace\"}");
        assertThat(harness.server.session(sid).isOpen()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "4abc",                                        // unknown Socket.IO packet type
            "47",
            "4",                                           // empty Socket.IO packet
            "42{}",                                        // event payload not an array
            "42[]",
            "42abc[\"x\"]",                                // invalid ack id, so invalid payload
            "42[\"a\"",                                    // bad JSON
            "42[\"a\"]x",                                  // trailing garbage
            "42[\"connect\"]",                             // reserved event name
            "41{}",                                        // DISCONNECT with payload
            "40[]",                                        // CONNECT payload not an object
            "44{\"message\":\"x\"}",                        // CONNECT_ERROR is for servers only
            "45-[\"x\"," + P0 + "]",                       // illegal attachments
            "4x-[\"x\"]",
            "4511-[\"x\"]",                                // more attachments than allowed
            "bAQID",                                       // binary when not reconstructing
            "452-[\"echo\"," + P0 + "," + P1 + "]" + RS + "bAQID" + RS + "42[\"echo\"]", // truncated: text instead
            "451-[\"echo\",{\"_placeholder\":true,\"num\":1}]" + RS + "bAQID",           // placeholder out of range
    })
    void aMalformedSocketIoPacketClosesTheConnection(String payload) {
        String sid = connectToMainNamespace();

        assertThat(harness.push(connection, sid, payload).status()).isEqualTo(200);

        assertClosed(sid);
    }

    @Test
    void aConnectionClosingWhileAttachmentsAreMissingLeavesNothingBehind() {
        String sid = connectToMainNamespace();
        harness.push(connection, sid, "452-[\"echo\"," + P0 + "," + P1 + "]" + RS + "bAQID");

        harness.server.session(sid).close("test", false);
        harness.settle();

        assertThat(harness.server.sessionCount()).isZero();
    }

    @Test
    void aTruncatedBinaryEventOverWebSocketClosesTheConnection() throws Exception {
        WireConnection ws = new WireConnection(harness);
        try {
            assertThat(ws.exchange(EngineIoHarness.webSocketRequest("EIO=4&transport=websocket")).status()).isEqualTo(101);
            ws.readFrame().release(); // open packet
            ws.send(new TextWebSocketFrame("40"));
            ws.readFrame().release(); // CONNECT answer
            harness.advance(Duration.ofMillis(1));

            ws.send(new TextWebSocketFrame("451-[\"echo\"," + P0 + "]"));
            assertThat(ws.server.isOpen()).isTrue();
            ws.send(new TextWebSocketFrame("42[\"echo\"]"));

            assertThat(ws.server.isOpen()).isFalse();
            assertThat(harness.server.sessionCount()).isZero();
        } finally {
            ws.close();
        }
    }
}
