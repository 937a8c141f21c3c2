package dev.herald.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ChannelNameTest {

    private static final String ALLOWED = "(allowed: letters, digits and _-=@,.;:+)";

    @ParameterizedTest
    @ValueSource(strings = {
            "orders.42", "private-App.Models.User.7", "presence-chat.1", "a:b", "a", "Z", "0",
            "private-encrypted-x", "user@example.com", "a_b-c=d@e,f.g;h:i+j", "laravel_database_orders",
            "ABCXYZabcxyz0123456789"})
    void acceptsLaravelAndPusherNames(String name) {
        ChannelName channel = ChannelName.of(name);

        assertThat(channel.value()).isEqualTo(name);
        assertThat(channel.toString()).isEqualTo(name);
        assertThat(ChannelName.isValid(name)).isTrue();
        assertThat(ChannelName.problem(name)).isNull();
    }

    @Test
    void constructorAndFactoryAgreeAndNamesAreValues() {
        assertThat(new ChannelName("orders.42")).isEqualTo(ChannelName.of("orders.42"))
                .hasSameHashCodeAs(ChannelName.of("orders.42"))
                .isNotEqualTo(ChannelName.of("orders.43"));
    }

    @Test
    void acceptsExactlyMaxLength() {
        assertThat(ChannelName.MAX_LENGTH).isEqualTo(200);
        String name = "a".repeat(200);

        assertThat(ChannelName.of(name).value()).hasSize(200);
        assertThat(ChannelName.isValid(name)).isTrue();
    }

    @Test
    void rejectsOneOverMaxLength() {
        String name = "a".repeat(201);

        assertThat(ChannelName.isValid(name)).isFalse();
        assertThat(ChannelName.problem(name)).isEqualTo("channel name is longer than 200 characters");
        assertThatThrownBy(() -> ChannelName.of(name))
                .isInstanceOf(InvalidChannelException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channel name is longer than 200 characters");
    }

    @Test
    void rejectsEmpty() {
        assertThat(ChannelName.problem("")).isEqualTo("channel name is empty");
        assertThat(ChannelName.isValid("")).isFalse();
        assertThatThrownBy(() -> ChannelName.of(""))
                .isInstanceOf(InvalidChannelException.class)
                .hasMessage("channel name is empty");
    }

    @Test
    void rejectsNull() {
        assertThat(ChannelName.problem(null)).isEqualTo("channel name is empty");
        assertThat(ChannelName.isValid(null)).isFalse();
        assertThatThrownBy(() -> ChannelName.of(null))
                .isInstanceOf(InvalidChannelException.class)
                .hasMessage("channel name is empty");
        assertThatThrownBy(() -> new ChannelName(null)).isInstanceOf(InvalidChannelException.class);
    }

    static Stream<Arguments> invalidCharacters() {
        return Stream.of(
                arguments("orders 42", 6, "space"),
                arguments(" orders", 0, "leading space"),
                arguments("orders ", 6, "trailing space"),
                arguments("orders/42", 6, "slash"),
                arguments("orders\\42", 6, "backslash"),
                arguments("ord\u00e9rs", 3, "non-ASCII letter"),
                arguments("\u00e9", 0, "only non-ASCII"),
                arguments("chat.\uD83D\uDE00", 5, "emoji (surrogate pair)"),
                arguments("\u0447\u0430\u0442", 0, "Cyrillic"),
                arguments("a\u00a0b", 1, "no-break space"),
                arguments("a\u0000b", 1, "NUL"),
                arguments("a\u0001b", 1, "SOH"),
                arguments("a\u001fb", 1, "unit separator"),
                arguments("a\u007fb", 1, "DEL"),
                arguments("a\u2028b", 1, "line separator"),
                arguments("a#b", 1, "hash"),
                arguments("a*b", 1, "asterisk (Redis pattern char)"),
                arguments("a?b", 1, "question mark"),
                arguments("a[b", 1, "bracket"),
                arguments("a%b", 1, "percent"),
                arguments("a\"b", 1, "double quote"),
                arguments("a'b", 1, "apostrophe"),
                arguments("a{b", 1, "brace"));
    }

    /** The message names the index of the first offending character (a UTF-16 index) and the allowed set. */
    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("invalidCharacters")
    void rejectsInvalidCharactersSayingWhere(String name, int index, String why) {
        String expected = "channel name contains an invalid character at index " + index + " " + ALLOWED;

        assertThat(ChannelName.problem(name)).as(why).isEqualTo(expected);
        assertThat(ChannelName.isValid(name)).as(why).isFalse();
        assertThatThrownBy(() -> ChannelName.of(name)).as(why)
                .isInstanceOf(InvalidChannelException.class)
                .hasMessage(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\tb", "a\bb", "a\fb"})
    void rejectsControlCharacters(String name) {
        assertThat(ChannelName.problem(name))
                .isEqualTo("channel name contains an invalid character at index 1 " + ALLOWED);
    }

    @Test
    void lengthIsCheckedBeforeCharacters() {
        assertThat(ChannelName.problem(" ".repeat(201))).isEqualTo("channel name is longer than 200 characters");
    }

    @Test
    void reportsTheFirstInvalidCharacter() {
        assertThat(ChannelName.problem("ab c/d")).contains("at index 2");
    }
}
