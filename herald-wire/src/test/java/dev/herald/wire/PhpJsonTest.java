package dev.herald.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Golden cases: each expected string is what PHP 8.2's {@code json_encode($value)} (no flags) prints for the
 * input (checked with {@code php -r 'echo json_encode(...);'}).
 */
class PhpJsonTest {

    static Stream<Arguments> golden() {
        return Stream.of(
                arguments("", "\"\""),
                arguments("plain text 123", "\"plain text 123\""),
                arguments("a/b", "\"a\\/b\""),
                arguments("https://example.com/x", "\"https:\\/\\/example.com\\/x\""),
                arguments("say \"hi\"", "\"say \\\"hi\\\"\""),
                arguments("C:\\path", "\"C:\\\\path\""),
                arguments("App\\Events\\OrderShipped", "\"App\\\\Events\\\\OrderShipped\""),
                arguments("\u0000", "\"\\u0000\""),
                arguments("\u0001", "\"\\u0001\""),
                arguments("\u000b", "\"\\u000b\""),
                arguments("\u001b", "\"\\u001b\""),
                arguments("\u001f", "\"\\u001f\""),
                arguments("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\""),
                arguments("line1\nline2", "\"line1\\nline2\""),
                arguments("\u007f", "\"\u007f\""),
                arguments("<>&'", "\"<>&'\""),
                arguments("\u00e9", "\"\\u00e9\""),
                arguments("caf\u00e9", "\"caf\\u00e9\""),
                arguments("\u00ff", "\"\\u00ff\""),
                arguments("\u0080", "\"\\u0080\""),
                arguments("\u20ac", "\"\\u20ac\""),
                arguments("\u2028\u2029", "\"\\u2028\\u2029\""),
                arguments("\u4e2d\u6587", "\"\\u4e2d\\u6587\""),
                arguments("\uffff", "\"\\uffff\""),
                arguments("\uD83D\uDE00", "\"\\ud83d\\ude00\""),
                arguments("hi \uD83D\uDE00!", "\"hi \\ud83d\\ude00!\""),
                arguments(" ~", "\" ~\""));
    }

    @ParameterizedTest
    @MethodSource("golden")
    void quotesAsPhpJsonEncode(String value, String php) {
        assertThat(PhpJson.quote(value)).isEqualTo(php);
    }

    @ParameterizedTest
    @MethodSource("golden")
    void appendsAsPhpJsonEncode(String value, String php) {
        StringBuilder sb = new StringBuilder("x=");
        PhpJson.appendString(sb, value);
        assertThat(sb.toString()).isEqualTo("x=" + php);
    }

    @Test
    void hexIsLowercase() {
        assertThat(PhpJson.quote("\u00c9\u00fe\u001a")).isEqualTo("\"\\u00c9\\u00fe\\u001a\"");
    }

    @Test
    void outputIsPureAscii() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) all.append(c);
        String quoted = PhpJson.quote(all.toString());

        assertThat(quoted.chars()).allMatch(c -> c >= 0x20 && c <= 0x7f);
    }

    @Test
    void everyPrintableAsciiExceptQuoteBackslashAndSlashIsRaw() {
        for (char c = 0x20; c < 0x80; c++) {
            String expected = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '/' -> "\\/";
                default -> String.valueOf(c);
            };
            assertThat(PhpJson.quote(String.valueOf(c))).as("char 0x%02x", (int) c).isEqualTo("\"" + expected + "\"");
        }
    }
}
