package dev.mayfly.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mayfly's own JSON against jackson-core's, which it replaced for plain values: the same text
 * written, the same values read, the same texts refused. Random values from a fixed seed: strings
 * full of quotes, backslashes, control characters and characters outside the BMP; whole numbers at
 * and past a long's range; doubles of every size; nesting.
 */
class PlainJsonTest {

    private static final JsonFactory JACKSON = new JsonFactory();

    @Test
    void thousands_of_random_values_are_written_and_read_as_jackson_core_writes_and_reads_them() throws IOException {
        Random random = new Random(20261130);
        for (int i = 0; i < 5000; i++) {
            Object value = randomValue(random, 0);
            String ours = Json.write(value);
            assertThat(ours).as("value %s", value).isEqualTo(jacksonWrite(value));
            assertThat(Json.read(ours)).as("read back: %s", ours).isEqualTo(jacksonRead(ours)).isEqualTo(value);
        }
    }

    @Test
    void numbers_keep_their_kind_at_the_edges_of_a_long() throws IOException {
        assertThat(Json.read("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(Json.read("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.read("9223372036854775808")).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(Json.read("-0")).isEqualTo(0L);
        assertThat(Json.read("1E+2")).isEqualTo(100.0);
        assertThat(Json.read("-2.5e-3")).isEqualTo(-0.0025);
        assertThat(Json.read(" [ 1 , { \"a\" : \"\\u00e9\\ud83d\\ude00\\/\" } ]\n"))
                .isEqualTo(List.of(1L, Map.of("a", "é😀/")));
    }

    @Test
    void a_number_of_a_thousand_digits_is_read_and_a_longer_one_or_a_deeper_nesting_is_refused() throws IOException {
        assertThat(Json.read("9".repeat(1000))).isEqualTo(new BigInteger("9".repeat(1000)));
        assertThatThrownBy(() -> Json.read("9".repeat(1001))).hasMessage("a number longer than 1000 characters at column 1");
        assertThat(Json.read("[".repeat(1000) + "]".repeat(1000))).isInstanceOf(List.class);
        assertThatThrownBy(() -> Json.read("[".repeat(1002) + "]".repeat(1002))).hasMessageStartingWith(
                "JSON nested deeper than 1000 levels");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[1 2]", "{a:1}", "'a'",
        "\"open", "01", "-", "1.", ".5", "1e", "tru", "nul", "\"\\x\"", "\"\\u12\"", "\"a\nb\"", "[1]]", "{} {}",
        "NaN", "+1"})
    void what_jackson_core_refuses_is_refused(String text) {
        assertThatThrownBy(() -> jacksonRead(text)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Json.read(text)).isInstanceOf(IOException.class)
                .hasMessageMatching("empty JSON text|.* at column \\d+");
    }

    private static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 5 : 7);
        switch (kind) {
            case 0:
                return null;
            case 1:
                return random.nextBoolean();
            case 2:
                return randomString(random);
            case 3:
                long[] edges = {0, -1, 1, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE + 1L};
                return random.nextBoolean() ? edges[random.nextInt(edges.length)] : random.nextLong() >> random.nextInt(64);
            case 4:
                double[] doubles = {0.25, -0.0, 1e-300, 1.7976931348623157e308, 123456789.123, -3.0, 1e21, 0.1};
                return random.nextBoolean() ? doubles[random.nextInt(doubles.length)]
                        : Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL) * (random.nextBoolean() ? 1 : -1);
            case 5: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    map.put(randomString(random), randomValue(random, depth + 1));
                }
                return map;
            }
            default: {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    list.add(randomValue(random, depth + 1));
                }
                return list;
            }
        }
    }

    private static String randomString(Random random) {
        StringBuilder text = new StringBuilder();
        String special = "\"\\/\b\f\n\r\t\u0000\u001f\u007f é中";
        for (int i = random.nextInt(12); i > 0; i--) {
            int pick = random.nextInt(4);
            if (pick == 0) {
                text.append(special.charAt(random.nextInt(special.length())));
            } else if (pick == 1) {
                text.appendCodePoint(0x1F600 + random.nextInt(50));
            } else {
                text.append((char) (' ' + random.nextInt(95)));
            }
        }
        return text.toString();
    }

    /** What the replaced code wrote: jackson-core's generator, numbers as longs and finite doubles. */
    private static String jacksonWrite(Object value) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = JACKSON.createGenerator(out)) {
            write(generator, value);
        }
        return out.toString();
    }

    private static void write(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String) {
            generator.writeString((String) value);
        } else if (value instanceof Boolean) {
            generator.writeBoolean((Boolean) value);
        } else if (value instanceof Long) {
            generator.writeNumber((Long) value);
        } else if (value instanceof Double) {
            generator.writeNumber((Double) value);
        } else if (value instanceof Map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                generator.writeFieldName((String) entry.getKey());
                write(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else {
            generator.writeStartArray();
            for (Object item : (List<?>) value) {
                write(generator, item);
            }
            generator.writeEndArray();
        }
    }

    /** What the replaced code read: jackson-core's parser, whole numbers as longs (or BigInteger), others as doubles. */
    private static Object jacksonRead(String text) throws IOException {
        try (JsonParser parser = JACKSON.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new IOException("empty");
            }
            Object value = read(parser);
            if (parser.nextToken() != null) {
                throw new IOException("trailing");
            }
            return value;
        }
    }

    private static Object read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() != JsonToken.END_OBJECT) {
                    String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, read(parser));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(parser));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }
}
