package dev.mayfly.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for plain values (maps, lists, strings, numbers, booleans, null) on jackson-core's
 * streaming API.
 *
 * <p>Why not databind everywhere: a worker JVM is started for every long task, and creating an
 * ObjectMapper costs more than the rest of the worker's start-up. Databind is used only for the
 * rare result that is a bean or a record, and only then loaded.
 */
public final class Json {

    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {}

    /** Writes a plain value, or any other object through databind, as one line of JSON. */
    public static String write(Object value) {
        return write(value, false);
    }

    /** Writes a plain value as indented, readable JSON (for files people open). */
    public static String writePretty(Object value) {
        return write(value, true);
    }

    private static String write(Object value, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            if (pretty) {
                generator.useDefaultPrettyPrinter();
            }
            writeValue(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Parses one JSON text into maps, lists, strings, numbers, booleans and nulls. */
    public static Object read(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IOException("empty JSON text");
            }
            Object value = readValue(parser);
            if (parser.nextToken() != null) {
                throw new IOException("unexpected text after the JSON value at column "
                        + parser.currentLocation().getColumnNr());
            }
            return value;
        }
    }

    /** JSON text as plain values; text that is not JSON as itself; null as null. For showing stored results. */
    public static Object readOrText(String json) {
        if (json == null) {
            return null;
        }
        try {
            return read(json);
        } catch (IOException e) {
            return json;
        }
    }

    /** Parses a JSON object; anything else is an error. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(String text) throws IOException {
        Object value = read(text);
        if (!(value instanceof Map)) {
            throw new IOException("expected a JSON object, got " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value instanceof List ? "an array" : "a " + value.getClass().getSimpleName();
    }

    private static Object readValue(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() != JsonToken.END_OBJECT) {
                    String name = parser.currentName();
                    parser.nextToken();
                    map.put(name, readValue(parser));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(parser));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                // Whole numbers come back as Long (or BigInteger past its range), whatever their size.
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected JSON token " + token);
        }
    }

    private static void writeValue(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String || value instanceof Character || value instanceof Enum) {
            generator.writeString(value.toString());
        } else if (value instanceof Boolean) {
            generator.writeBoolean((Boolean) value);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            generator.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isFinite(number)) {
                generator.writeNumber(number);
            } else {
                generator.writeNull();
            }
        } else if (value instanceof Number) {
            generator.writeNumber(value.toString());
        } else if (value instanceof Map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                generator.writeFieldName(String.valueOf(entry.getKey()));
                writeValue(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof Iterable) {
            generator.writeStartArray();
            for (Object item : (Iterable<?>) value) {
                writeValue(generator, item);
            }
            generator.writeEndArray();
        } else if (value instanceof Object[]) {
            writeValue(generator, java.util.Arrays.asList((Object[]) value));
        } else {
            generator.writeRawValue(BeanJson.write(value));
        }
    }
}
