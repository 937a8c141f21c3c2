package dev.herald.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelKindTest {

    @ParameterizedTest
    @CsvSource({
            "orders.42, PUBLIC",
            "App.Models.User.7, PUBLIC",
            "private-App.Models.User.7, PRIVATE",
            "private-encrypted-x, PRIVATE",
            "private-, PRIVATE",
            "presence-chat.1, PRESENCE",
            "presence-, PRESENCE",
            // prefixes are case-sensitive and must be complete
            "Private-x, PUBLIC",
            "PRESENCE-x, PUBLIC",
            "private, PUBLIC",
            "presence, PUBLIC",
            "privatex, PUBLIC",
            "private_x, PUBLIC",
            "x-private-y, PUBLIC",
            "my-presence-chat, PUBLIC",
    })
    void kindFollowsThePrefix(String name, ChannelKind kind) {
        assertThat(ChannelName.of(name).kind()).isEqualTo(kind);
    }

    @Test
    void privateAndPresenceAreGuarded() {
        assertThat(ChannelKind.PUBLIC.isGuarded()).isFalse();
        assertThat(ChannelKind.PRIVATE.isGuarded()).isTrue();
        assertThat(ChannelKind.PRESENCE.isGuarded()).isTrue();
    }

    @Test
    void guardedByName() {
        assertThat(ChannelName.of("orders.1").kind().isGuarded()).isFalse();
        assertThat(ChannelName.of("private-orders.1").kind().isGuarded()).isTrue();
        assertThat(ChannelName.of("private-encrypted-orders.1").kind().isGuarded()).isTrue();
        assertThat(ChannelName.of("presence-orders.1").kind().isGuarded()).isTrue();
    }
}
