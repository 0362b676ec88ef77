package dev.mayfly.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    record Finding(String file, int line) {}

    @Test
    void plain_values_round_trip() throws IOException {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "a \"quoted\"\nline");
        value.put("count", 42L);
        value.put("ratio", 0.25);
        value.put("ok", true);
        value.put("none", null);
        value.put("list", List.of(1L, "two"));
        String json = Json.write(value);
        assertThat(json).isEqualTo("{\"text\":\"a \\\"quoted\\\"\\nline\",\"count\":42,\"ratio\":0.25,\"ok\":true,"
                + "\"none\":null,\"list\":[1,\"two\"]}");
        assertThat(Json.read(json)).isEqualTo(value);
    }

    @Test
    void records_and_beans_go_through_databind() {
        assertThat(Json.write(List.of(new Finding("A.java", 7)))).isEqualTo("[{\"file\":\"A.java\",\"line\":7}]");
    }

    @Test
    void arrays_may_hold_nulls_and_non_finite_numbers_become_null() {
        assertThat(Json.write(Arrays.asList("a", null).toArray())).isEqualTo("[\"a\",null]");
        assertThat(Json.write(Double.NaN)).isEqualTo("null");
    }

    @Test
    void malformed_text_and_trailing_garbage_are_errors() {
        assertThatThrownBy(() -> Json.read("{\"a\":")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Json.read("{} {}")).isInstanceOf(IOException.class)
                .hasMessageContaining("unexpected text after the JSON value");
        assertThatThrownBy(() -> Json.readObject("[1]")).hasMessage("expected a JSON object, got an array");
    }
}
