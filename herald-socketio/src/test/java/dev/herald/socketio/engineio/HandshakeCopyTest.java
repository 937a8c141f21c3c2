package dev.herald.socketio.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a session keeps of its handshake: everything it may be asked for, the repeated words shared. */
class HandshakeCopyTest {

    @Test
    void queryValuesAreKeptAndTheCommonWordsShared() {
        Map<String, List<String>> first = HandshakeCopy.query(Map.of("EIO", List.of(new String("4")),
                "transport", List.of(new String("websocket")), "token", List.of("abc", "def")));
        Map<String, List<String>> second = HandshakeCopy.query(Map.of("EIO", List.of(new String("4")),
                "transport", List.of(new String("websocket"))));

        assertThat(first).containsEntry("EIO", List.of("4")).containsEntry("transport", List.of("websocket"))
                .containsEntry("token", List.of("abc", "def"));
        assertThat(first.get("transport").get(0)).isSameAs(second.get("transport").get(0));
        assertThat(first.get("EIO").get(0)).isSameAs(second.get("EIO").get(0));
        assertThat(first.get("transport")).as("a one-word value's list is shared too").isSameAs(second.get("transport"));
        assertThat(first.get("token")).isUnmodifiable();
    }

    @Test
    void headersAreReadOnlyCaseInsensitiveAndWithoutTheWebSocketKey() {
        HttpHeaders request = new DefaultHttpHeaders()
                .add("Host", "shop.example:6001")
                .add("Upgrade", "websocket")
                .add("Cookie", "a=1")
                .add("X-Custom", "one")
                .add("X-Custom", "two")
                .add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .add("Sec-WebSocket-Version", "13");

        HttpHeaders kept = HandshakeCopy.headers(request);

        assertThat(kept.get("host")).isEqualTo("shop.example:6001");
        assertThat(kept.get(HttpHeaderNames.COOKIE)).isEqualTo("a=1");
        assertThat(kept.getAll("x-custom")).containsExactly("one", "two");
        assertThat(kept.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)).isFalse();
        assertThat(kept.contains(HttpHeaderNames.SEC_WEBSOCKET_VERSION)).isFalse();
        assertThat(kept.size()).isEqualTo(5);
        assertThat(kept.names()).contains("upgrade", "host");
    }
}
