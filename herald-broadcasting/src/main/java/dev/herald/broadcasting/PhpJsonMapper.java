package dev.herald.broadcasting;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.JsonGeneratorDecorator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.MapType;

import java.io.IOException;
import java.util.Map;

/**
 * A Jackson {@link ObjectMapper} that writes what PHP's {@code json_encode} (no flags, PHP 7.1+) writes for the same
 * data, so a Java event's bytes equal those of the same Laravel event:
 * <ul>
 *   <li>no whitespace; {@code null}s kept; keys in the map's (or record's, or bean's) order;</li>
 *   <li>strings: {@code /} as {@code \/}, every non-ASCII character as a lowercase {@code \}{@code uXXXX} escape
 *       (characters outside the BMP as a surrogate pair), control characters as {@code \b \f \n \r \t} or
 *       {@code \}{@code u00XX}; a lone surrogate (invalid UTF-16, which PHP rejects as invalid UTF-8) is refused;</li>
 *   <li>integers as integers; floating point numbers as PHP does ({@code 42.0 -> 42}, {@code 1e-5 -> 1.0e-5},
 *       see {@link PhpNumbers}); NaN and infinities refused; {@code BigDecimal} in plain notation (PHP has none);</li>
 *   <li>PHP has one array type, written as a JSON list when its keys are exactly 0..n-1 in order: a Java
 *       {@code Map} with keys {@code 0..n-1} (numbers, or their decimal strings) is written as a list, and an empty
 *       {@code Map} as {@code []}. Use a record, a bean or an {@code ObjectNode} to get {@code {}};</li>
 *   <li>an object without properties is {@code {}} rather than an error.</li>
 * </ul>
 * Not mirrored: PHP's coercion of other numeric string keys, {@code JsonSerializable}/Carbon formats (register
 * Jackson modules on {@link #builder()} for {@code java.time} and the like).
 */
public final class PhpJsonMapper {

    private PhpJsonMapper() {}

    /** A new mapper with the settings above; safe to share between threads. */
    public static ObjectMapper create() {
        return builder().build();
    }

    /** The settings above, as a builder to add modules to (keep its factory: the number and string rules live there). */
    public static JsonMapper.Builder builder() {
        JsonFactory factory = JsonFactory.builder()
                .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
                .enable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
                .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .addDecorator(PhpGenerator.DECORATOR)
                .build();
        SimpleModule module = new SimpleModule("herald-php-json");
        module.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public JsonSerializer<?> modifyMapSerializer(SerializationConfig config, MapType valueType,
                                                         BeanDescription beanDesc, JsonSerializer<?> serializer) {
                return new PhpArraySerializer(serializer);
            }
        });
        return JsonMapper.builder(factory)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(SerializationFeature.INDENT_OUTPUT)
                .addModule(module);
    }

    /** Writes doubles and floats as PHP, refuses lone surrogates: every path (beans, arrays, trees) ends here. */
    static final class PhpGenerator extends JsonGeneratorDelegate {

        static final JsonGeneratorDecorator DECORATOR = (factory, generator) -> new PhpGenerator(generator);

        PhpGenerator(JsonGenerator delegate) {
            super(delegate, false);
        }

        @Override
        public void writeNumber(double v) throws IOException {
            delegate.writeNumber(PhpNumbers.formatDouble(v));
        }

        @Override
        public void writeNumber(float v) throws IOException {
            delegate.writeNumber(PhpNumbers.formatFloat(v));
        }

        @Override
        public void writeArray(double[] array, int offset, int length) throws IOException {
            writeStartArray(array, length);
            for (int i = offset; i < offset + length; i++) writeNumber(array[i]);
            writeEndArray();
        }

        @Override
        public void writeString(String text) throws IOException {
            if (text != null) checkSurrogates(text);
            delegate.writeString(text);
        }

        @Override
        public void writeString(char[] text, int offset, int len) throws IOException {
            checkSurrogates(new String(text, offset, len));
            delegate.writeString(text, offset, len);
        }

        @Override
        public void writeFieldName(String name) throws IOException {
            checkSurrogates(name);
            delegate.writeFieldName(name);
        }

        static void checkSurrogates(CharSequence s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!Character.isSurrogate(c)) continue;
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new IllegalArgumentException("string has a lone surrogate (U+" + Integer.toHexString(c)
                        + ") at index " + i + ": not valid UTF-8, PHP's json_encode refuses it too");
            }
        }
    }

    /** A map whose keys are 0..n-1 in order is a PHP list: written as a JSON array. Other maps as Jackson does. */
    static final class PhpArraySerializer extends StdSerializer<Map<?, ?>> implements ContextualSerializer,
            ResolvableSerializer {

        private final JsonSerializer<Object> delegate;

        @SuppressWarnings("unchecked")
        PhpArraySerializer(JsonSerializer<?> delegate) {
            super(Map.class, false);
            this.delegate = (JsonSerializer<Object>) delegate;
        }

        static boolean isList(Map<?, ?> map) {
            int i = 0;
            for (Object key : map.keySet()) {
                if (!(key instanceof String || key instanceof Integer || key instanceof Long || key instanceof Short
                        || key instanceof Byte || key instanceof java.math.BigInteger)) return false;
                if (!String.valueOf(key).equals(Integer.toString(i++))) return false;
            }
            return true;
        }

        @Override
        public void serialize(Map<?, ?> map, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (!isList(map)) {
                delegate.serialize(map, gen, provider);
                return;
            }
            gen.writeStartArray(map, map.size());
            for (Object value : map.values()) provider.defaultSerializeValue(value, gen);
            gen.writeEndArray();
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, Map<?, ?> value) {
            return delegate.isEmpty(provider, value);
        }

        @Override
        public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
                throws JsonMappingException {
            JsonSerializer<?> contextual = delegate instanceof ContextualSerializer c
                    ? c.createContextual(provider, property) : delegate;
            return contextual == delegate ? this : new PhpArraySerializer(contextual);
        }

        @Override
        public void resolve(SerializerProvider provider) throws JsonMappingException {
            if (delegate instanceof ResolvableSerializer r) r.resolve(provider);
        }
    }
}
