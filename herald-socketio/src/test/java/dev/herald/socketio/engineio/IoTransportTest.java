package dev.herald.socketio.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.herald.socketio.IoTransport;
import dev.herald.socketio.SocketIoConfig;
import dev.herald.socketio.SocketIoServer;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The server answers an Engine.IO handshake over each socket interface it offers. */
class IoTransportTest {

    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void aHandshakeIsAnsweredOverEachTransport(IoTransport transport) throws Exception {
        // Linux-only interfaces are checked where they exist (the CI machines are Linux with io_uring enabled).
        if (transport == IoTransport.EPOLL) assumeTrue(Epoll.isAvailable(), "epoll: " + Epoll.unavailabilityCause());
        if (transport == IoTransport.IO_URING) assumeTrue(IoUring.isAvailable(), "io_uring: " + IoUring.unavailabilityCause());
        SocketIoServer server = new SocketIoServer(SocketIoConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withIoTransport(transport));
        server.start();
        try {
            HttpResponse<String> open = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=polling"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(open.body()).startsWith("0{\"sid\":\"");
        } finally {
            server.stop();
        }
    }

    @Test
    void namesParseAsTheFlagWritesThem() {
        assertThat(IoTransport.parse("io_uring")).isEqualTo(IoTransport.IO_URING);
        assertThat(IoTransport.parse("IO-URING")).isEqualTo(IoTransport.IO_URING);
        assertThat(IoTransport.parse(" Epoll ")).isEqualTo(IoTransport.EPOLL);
        assertThatThrownBy(() -> IoTransport.parse("kqueue")).hasMessageContaining("unknown I/O transport 'kqueue'");
    }
}
