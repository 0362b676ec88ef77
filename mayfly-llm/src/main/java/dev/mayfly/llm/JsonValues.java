package dev.mayfly.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain values (maps, lists, strings, numbers, booleans, null) for the llm agent: its
 * checkpoints, tool arguments and servers' answers. Jackson databind, which LangChain4j loads
 * anyway, so the agent needs nothing of Mayfly's but its API.
 */
public final class JsonValues {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private JsonValues() {}

    /** One line of JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One JSON text, with nothing after it, as plain values. */
    public static Object read(String text) throws IOException {
        return MAPPER.readValue(text, Object.class);
    }

    /** A JSON object; anything else is an error. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(String text) throws IOException {
        Object value = read(text);
        if (!(value instanceof Map)) {
            throw new IOException("expected a JSON object, got " + (value == null ? "null"
                    : value instanceof List ? "an array" : "a " + value.getClass().getSimpleName()));
        }
        return (Map<String, Object>) value;
    }
}
