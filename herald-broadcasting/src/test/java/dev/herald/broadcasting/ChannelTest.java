package dev.herald.broadcasting;

import dev.herald.wire.ChannelKind;
import dev.herald.wire.InvalidChannelException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelTest {

    @Test
    void prefixesAsLaravel() {
        assertThat(new Channel("orders.42").name()).isEqualTo("orders.42");
        assertThat(new PrivateChannel("orders.42").name()).isEqualTo("private-orders.42");
        assertThat(new PresenceChannel("chat.1").name()).isEqualTo("presence-chat.1");
        assertThat(new PrivateChannel("private-x").name()).isEqualTo("private-private-x"); // Laravel does not dedupe
        assertThat(new PrivateChannel("a").toString()).isEqualTo("private-a");
    }

    @Test
    void kindComesFromTheFullName() {
        assertThat(new Channel("orders").kind()).isEqualTo(ChannelKind.PUBLIC);
        assertThat(new PrivateChannel("orders").kind()).isEqualTo(ChannelKind.PRIVATE);
        assertThat(new PresenceChannel("orders").kind()).isEqualTo(ChannelKind.PRESENCE);
        assertThat(new Channel("private-orders").kind()).isEqualTo(ChannelKind.PRIVATE);
    }

    @Test
    void equalityIsByFullName() {
        assertThat(new Channel("private-a")).isEqualTo(new PrivateChannel("a")).hasSameHashCodeAs(new PrivateChannel("a"));
        assertThat(new Channel("a")).isNotEqualTo(new PrivateChannel("a"));
    }

    @Test
    void namesAreValidated() {
        assertThatThrownBy(() -> new Channel("")).isInstanceOf(InvalidChannelException.class);
        assertThatThrownBy(() -> new Channel("orders 42")).isInstanceOf(InvalidChannelException.class)
                .hasMessageContaining("index 6");
        assertThatThrownBy(() -> new PrivateChannel("x".repeat(200))).isInstanceOf(InvalidChannelException.class);
        assertThatThrownBy(() -> new Channel((String) null)).isInstanceOf(InvalidChannelException.class);
    }
}
