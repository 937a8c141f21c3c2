package dev.herald.broadcasting;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.wire.PhpJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mapper against what PHP's {@code json_encode} writes. Expected strings are PHP's output (PHP 8, default
 * {@code serialize_precision = -1}, no flags); {@link PhpJson} (herald-wire) is the reference for strings.
 */
class PhpJsonMapperTest {

    private final ObjectMapper mapper = PhpJsonMapper.create();

    private String json(Object value) throws Exception {
        return mapper.writeValueAsString(value);
    }

    @Test
    void everyBmpCharacterIsEscapedAsPhpDoes() throws Exception {
        for (char c = 0; c < 0xFFFF; c++) {
            if (Character.isSurrogate(c)) continue;
            String s = String.valueOf(c);
            assertThat(json(s)).as("U+%04x", (int) c).isEqualTo(PhpJson.quote(s));
            String object = c == '0' ? "[1]" : "{" + PhpJson.quote(s) + ":1}"; // ["0" => 1] is a PHP list
            assertThat(json(Map.of(s, 1))).as("key U+%04x", (int) c).isEqualTo(object);
        }
    }

    @Test
    void goldenStrings() throws Exception {
        // php > echo json_encode("café € 😀 https://x.test/a?b=<c>&d='e'");
        assertThat(json("café € 😀 https://x.test/a?b=<c>&d='e'"))
                .isEqualTo("\"caf\\u00e9 \\u20ac \\ud83d\\ude00 https:\\/\\/x.test\\/a?b=<c>&d='e'\"");
        // php > echo json_encode("\x00\x1f\x7f\x08\x0c\n\r\t\"\\");
        assertThat(json("\u0000\u001f\u007f\b\f\n\r\t\"\\")).isEqualTo("\"\\u0000\\u001f\u007f\\b\\f\\n\\r\\t\\\"\\\\\"");
        // php > echo json_encode("微信登录");
        assertThat(json("微信登录")).isEqualTo("\"\\u5fae\\u4fe1\\u767b\\u5f55\"");
        assertThat(json(new char[] {'a', '/', 'é'})).isEqualTo("\"a\\/\\u00e9\"");
    }

    @Test
    void surrogatePairsAreTwoLowercaseEscapesAndLoneSurrogatesAreRefused() throws Exception {
        String emoji = new String(Character.toChars(0x1F680)); // 🚀
        assertThat(json(emoji)).isEqualTo("\"\\ud83d\\ude80\"").isEqualTo(PhpJson.quote(emoji));
        assertThat(json(new String(Character.toChars(0x10FFFF)))).isEqualTo("\"\\udbff\\udfff\"");
        assertThatThrownBy(() -> json("a\ud83d")).hasMessageContaining("lone surrogate");
        assertThatThrownBy(() -> json("\ude80b")).hasMessageContaining("lone surrogate");
        assertThatThrownBy(() -> json(Map.of("k\ud800", 1))).hasMessageContaining("lone surrogate");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // php > echo json_encode(<value>);
            "0.0|0", "-0.0|-0", "42.0|42", "1.5|1.5", "-1.5|-1.5", "0.1|0.1", "0.30000000000000004|0.30000000000000004",
            "3.141592653589793|3.141592653589793", "100.0|100", "1.0E7|10000000", "123456789.125|123456789.125",
            "0.001|0.001", "0.0001|0.0001", "1.0E-5|1.0e-5", "1.5E-7|1.5e-7", "1.0E-10|1.0e-10",
            "1.0E15|1000000000000000", "1.0E16|10000000000000000", "1.0E17|1.0e+17", "1.2345678901234568E17|1.2345678901234568e+17",
            "9.007199254740993E15|9007199254740992", "1.0E25|1.0e+25", "1.7976931348623157E308|1.7976931348623157e+308",
            "4.9E-324|5.0e-324", "2.2250738585072014E-308|2.2250738585072014e-308", "-2.5E-5|-2.5e-5"})
    void doublesAsPhp(double value, String php) throws Exception {
        assertThat(json(value)).isEqualTo(php);
        assertThat(json(List.of(value))).isEqualTo("[" + php + "]");
        assertThat(json(new double[] {value})).isEqualTo("[" + php + "]");
    }

    @Test
    void floatsUseTheirOwnShortestDigits() throws Exception {
        assertThat(json(0.1f)).isEqualTo("0.1");
        assertThat(json(new float[] {2.5f, 1e-6f, 3f})).isEqualTo("[2.5,1.0e-6,3]");
    }

    @Test
    void nonFiniteNumbersAreRefusedAsPhpDoes() {
        assertThatThrownBy(() -> json(Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> json(Map.of("x", Double.POSITIVE_INFINITY))).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> json(Float.NaN)).hasMessageContaining("NaN");
    }

    @Test
    void integersBooleansNullsAndBigNumbers() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("int", 42);
        m.put("long", 9007199254740993L);
        m.put("min", Long.MIN_VALUE);
        m.put("short", (short) -7);
        m.put("yes", true);
        m.put("no", false);
        m.put("nothing", null);
        m.put("big", new BigInteger("123456789012345678901234567890"));
        m.put("decimal", new BigDecimal("1E+3"));
        m.put("cents", new BigDecimal("12.50"));
        assertThat(json(m)).isEqualTo("{\"int\":42,\"long\":9007199254740993,\"min\":-9223372036854775808,\"short\":-7,"
                + "\"yes\":true,\"no\":false,\"nothing\":null,\"big\":123456789012345678901234567890,\"decimal\":1000,"
                + "\"cents\":12.50}");
    }

    @Test
    void mapsWithKeysZeroToNMinusOneAreListsLikePhpArrays() throws Exception {
        // php > echo json_encode(['a' => [], 'b' => [0 => 'x', 1 => 'y'], 'c' => [1 => 'x'], 'd' => ['0' => 'x']]);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", Map.of());
        m.put("b", new TreeMap<>(Map.of(0, "x", 1, "y")));
        m.put("c", Map.of(1, "x"));
        m.put("d", Map.of("0", "x"));
        assertThat(json(m)).isEqualTo("{\"a\":[],\"b\":[\"x\",\"y\"],\"c\":{\"1\":\"x\"},\"d\":[\"x\"]}");
        Map<Object, Object> outOfOrder = new LinkedHashMap<>();
        outOfOrder.put(1, "b");
        outOfOrder.put(0, "a");
        assertThat(json(outOfOrder)).isEqualTo("{\"1\":\"b\",\"0\":\"a\"}");
        // an empty object needs an object type
        assertThat(json(new ObjectNode(JsonNodeFactory.instance))).isEqualTo("{}");
        assertThat(json(new Empty())).isEqualTo("{}");
    }

    @Test
    void nestedRecordsBeansListsAndArraysKeepDeclarationOrder() throws Exception {
        record Line(String sku, int qty, double price) {}
        record Order(long id, List<Line> lines, Map<String, Object> meta, int[] codes, Object nothing) {}
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("z", 1);
        meta.put("a", List.of(true, "x/y"));
        Order order = new Order(7, List.of(new Line("A-1", 2, 9.90), new Line("B/2", 1, 10.0)), meta,
                new int[] {3, 1}, null);
        assertThat(json(order)).isEqualTo("{\"id\":7,\"lines\":[{\"sku\":\"A-1\",\"qty\":2,\"price\":9.9},"
                + "{\"sku\":\"B\\/2\",\"qty\":1,\"price\":10}],\"meta\":{\"z\":1,\"a\":[true,\"x\\/y\"]},"
                + "\"codes\":[3,1],\"nothing\":null}");
        assertThat(json(new ArrayList<>(Arrays.asList(1, null, "é")))).isEqualTo("[1,null,\"\\u00e9\"]");
    }

    @Test
    void treesGoThroughTheSameRules() throws Exception {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("d", 42.0).put("e", 1e-5).put("s", "a/é");
        assertThat(json(node)).isEqualTo("{\"d\":42,\"e\":1.0e-5,\"s\":\"a\\/\\u00e9\"}");
    }

    static final class Empty {}
}
