package dev.mayfly.llm.tools;

import dev.mayfly.llm.JsonValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The arguments of one tool call, as the model sent them (a JSON object), read with clear errors. */
public final class ToolArguments {

    private final Map<String, Object> values;

    private ToolArguments(Map<String, Object> values) {
        this.values = values;
    }

    /** @throws ToolException when the text is not a JSON object */
    public static ToolArguments parse(String json) throws ToolException {
        if (json == null || json.isBlank()) {
            return new ToolArguments(Map.of());
        }
        try {
            return new ToolArguments(JsonValues.readObject(json));
        } catch (IOException | RuntimeException e) {
            throw new ToolException("the arguments are not a JSON object: " + abbreviate(json, 200));
        }
    }

    public String string(String name) throws ToolException {
        Object value = values.get(name);
        if (!(value instanceof String)) {
            throw new ToolException("argument '" + name + "' is required and must be a string");
        }
        return (String) value;
    }

    /** An optional string: absent, null or blank (models send {@code "path": ""} for "the default") gives the fallback. */
    public String string(String name, String fallback) throws ToolException {
        Object value = values.get(name);
        return value == null || value instanceof String && ((String) value).isBlank() ? fallback : string(name);
    }

    public int integer(String name, int fallback, int min, int max) throws ToolException {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number && ((Number) value).doubleValue() == Math.rint(((Number) value).doubleValue())) {
            long number = ((Number) value).longValue();
            if (number >= min && number <= max) {
                return (int) number;
            }
        }
        throw new ToolException("argument '" + name + "' must be a whole number from " + min + " to " + max + ", not "
                + value);
    }

    public boolean bool(String name, boolean fallback) throws ToolException {
        Object value = values.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean)) {
            throw new ToolException("argument '" + name + "' must be true or false, not " + value);
        }
        return (Boolean) value;
    }

    public List<String> strings(String name) throws ToolException {
        Object value = values.get(name);
        if (!(value instanceof List) || ((List<?>) value).isEmpty()) {
            throw new ToolException("argument '" + name + "' is required and must be a non-empty list of strings");
        }
        List<String> strings = new ArrayList<>();
        for (Object item : (List<?>) value) {
            if (!(item instanceof String)) {
                throw new ToolException("argument '" + name + "' must hold only strings, not " + item);
            }
            strings.add((String) item);
        }
        return strings;
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
