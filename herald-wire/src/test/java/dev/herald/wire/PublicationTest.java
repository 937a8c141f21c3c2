package dev.herald.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublicationTest {

    private static final ChannelName ORDERS = ChannelName.of("orders.42");

    @Test
    void keepsItsParts() {
        Publication p = new Publication(ORDERS, "App\\Events\\OrderShipped", "{\"id\":42}", "1234.5678");

        assertThat(p.channel()).isEqualTo(ORDERS);
        assertThat(p.event()).isEqualTo("App\\Events\\OrderShipped");
        assertThat(p.data()).isEqualTo("{\"id\":42}");
        assertThat(p.socket()).isEqualTo("1234.5678");
    }

    @Test
    void socketMayBeNull() {
        assertThat(new Publication(ORDERS, "e", "{}", null).socket()).isNull();
    }

    @Test
    void emptySocketMeansNone() {
        Publication p = new Publication(ORDERS, "e", "{}", "");

        assertThat(p.socket()).isNull();
        assertThat(p).isEqualTo(new Publication(ORDERS, "e", "{}", null));
    }

    @Test
    void blankSocketIsKept() {
        // only the empty string means "no socket"; anything else is an id to compare with
        assertThat(new Publication(ORDERS, "e", "{}", " ").socket()).isEqualTo(" ");
    }

    @Test
    void rejectsEmptyEvent() {
        assertThatThrownBy(() -> new Publication(ORDERS, "", "{}", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event name is empty");
    }

    @Test
    void rejectsNullParts() {
        assertThatThrownBy(() -> new Publication(null, "e", "{}", null))
                .isInstanceOf(NullPointerException.class).hasMessage("channel");
        assertThatThrownBy(() -> new Publication(ORDERS, null, "{}", null))
                .isInstanceOf(NullPointerException.class).hasMessage("event");
        assertThatThrownBy(() -> new Publication(ORDERS, "e", null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("data");
    }

    @Test
    void dataIsNotInterpreted() {
        // any JSON value, kept verbatim, whitespace included
        assertThat(new Publication(ORDERS, "e", " [1, 2] ", null).data()).isEqualTo(" [1, 2] ");
        assertThat(new Publication(ORDERS, "e", "null", null).data()).isEqualTo("null");
        assertThat(new Publication(ORDERS, "e", "\"text\"", null).data()).isEqualTo("\"text\"");
    }
}
