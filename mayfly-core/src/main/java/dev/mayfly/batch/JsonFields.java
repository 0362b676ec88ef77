package dev.mayfly.batch;

import dev.mayfly.errors.UsageException;
import dev.mayfly.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of a JSON request read as Mayfly reads a batch line's: each of the wrong type is named,
 * with its value and what is accepted. The server's requests use them too.
 */
public final class JsonFields {

    private JsonFields() {}

    /** Refuses a field that is not one of {@code known}, naming it and the ones there are. */
    public static void onlyKnown(Map<String, Object> json, List<String> known) {
        for (String field : json.keySet()) {
            if (!known.contains(field)) {
                throw new UsageException("unknown field '" + field + "'; the fields are " + String.join(", ", known));
            }
        }
    }

    /** A string field, or null when absent. */
    public static String string(Map<String, Object> json, String field) {
        Object value = json.get(field);
        if (value != null && !(value instanceof String)) {
            throw UsageException.invalid(field, Json.write(value), "a string, in double quotes");
        }
        return (String) value;
    }

    /** A true-or-false field, or null when absent. */
    public static Boolean flag(Map<String, Object> json, String field) {
        Object value = json.get(field);
        if (value != null && !(value instanceof Boolean)) {
            throw UsageException.invalid(field, String.valueOf(value), "true or false");
        }
        return (Boolean) value;
    }

    /** An object of names and strings, numbers or booleans (each made a string); empty when absent. */
    public static Map<String, String> params(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw UsageException.invalid("params", String.valueOf(value), "an object of names and values");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
            Object item = entry.getValue();
            if (item instanceof Map || item instanceof List || item == null) {
                throw UsageException.invalid("params." + entry.getKey(), String.valueOf(item),
                        "a string, number or boolean");
            }
            params.put(String.valueOf(entry.getKey()), String.valueOf(item));
        }
        return params;
    }
}
