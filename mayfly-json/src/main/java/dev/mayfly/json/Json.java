package dev.mayfly.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * JSON for plain values (maps, lists, strings, numbers, booleans, null), read and written by
 * {@link PlainJson}.
 *
 * <p>Why not a library for these: a worker JVM is started for every long task and reads and writes
 * a few of them; jackson-core's first use was a quarter of an empty task's CPU (docs/benchmarks.md).
 * Jackson's databind is still used for the rare value that is a bean or a record, and only then
 * loaded; jackson-core lays out the indented JSON that people read ({@link #writePretty}).
 */
public final class Json {

    private Json() {}

    /** Writes a plain value, or any other object through databind, as one line of JSON. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        writeValue(out, value);
        return out.toString();
    }

    /** Writes a plain value as indented, readable JSON (for files people open). */
    public static String writePretty(Object value) {
        StringWriter out = new StringWriter();
        JsonFactory factory = new JsonFactory();
        try (JsonParser compact = factory.createParser(write(value));
                JsonGenerator generator = factory.createGenerator(out)) {
            generator.useDefaultPrettyPrinter();
            compact.nextToken();
            generator.copyCurrentStructure(compact);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Parses one JSON text into maps, lists, strings, numbers, booleans and nulls. */
    public static Object read(String text) throws IOException {
        return PlainJson.read(text);
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

    private static void writeValue(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String || value instanceof Character || value instanceof Enum) {
            PlainJson.string(out, value.toString());
        } else if (value instanceof Boolean) {
            out.append(((Boolean) value).booleanValue());
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            out.append(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            out.append(Double.isFinite(number) ? Double.toString(number) : "null");
        } else if (value instanceof Number) {
            out.append(value);
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                PlainJson.string(out, String.valueOf(entry.getKey()));
                out.append(':');
                writeValue(out, entry.getValue());
            }
            out.append('}');
        } else if (value instanceof Iterable) {
            out.append('[');
            boolean first = true;
            for (Object item : (Iterable<?>) value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeValue(out, item);
            }
            out.append(']');
        } else if (value instanceof Object[]) {
            writeValue(out, Arrays.asList((Object[]) value));
        } else {
            out.append(BeanJson.write(value));
        }
    }
}
