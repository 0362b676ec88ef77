package dev.mayfly.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.mayfly.config.WholeNumber;
import dev.mayfly.json.Json;
import dev.mayfly.store.TaskFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One request and its answer: the path's parts, the query, a bounded body, JSON out. */
final class HttpCall {

    /** A request body larger than this is refused: a task's fields are kilobytes, a prompt rarely a megabyte. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpExchange exchange;

    HttpCall(HttpExchange exchange) {
        this.exchange = exchange;
    }

    String method() {
        return exchange.getRequestMethod();
    }

    String path() {
        return exchange.getRequestURI().getPath();
    }

    /** The path's parts after {@code prefix}: "/api/v1/tasks/t-1/cancel" after "/api/v1/tasks" is [t-1, cancel]. */
    List<String> parts(String prefix) {
        String rest = exchange.getRequestURI().getPath().substring(prefix.length());
        return Arrays.stream(rest.split("/")).filter(part -> !part.isEmpty()).toList();
    }

    Map<String, String> query() {
        return pairs(exchange.getRequestURI().getRawQuery());
    }

    /** A whole number of the query, {@code absent} when it is not given; a bad one is bad input naming it. */
    static int number(Map<String, String> query, String field, int absent, int min, int max) {
        String text = query.get(field);
        return text == null ? absent : WholeNumber.parse(field, text, min, max);
    }

    /** The query's {@code since} (a duration back from {@code now}, or a time); null when it is not given. */
    static Instant since(Map<String, String> query, Instant now) {
        return query.containsKey("since") ? TaskFilter.since("since", query.get("since"), now) : null;
    }

    /** A form's fields ({@code application/x-www-form-urlencoded}), as a browser posts them. */
    Map<String, String> formBody() throws IOException {
        return pairs(new String(body(), StandardCharsets.UTF_8));
    }

    private static Map<String, String> pairs(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                query.put(name, value);
            }
        }
        return query;
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The body as a JSON object, or an empty one when there is no body. */
    Map<String, Object> jsonBodyOrEmpty() throws IOException {
        byte[] body = body();
        return body.length == 0 ? Map.of() : object(body);
    }

    /** The body as a JSON object; anything else is a {@link Refusal}. */
    Map<String, Object> jsonBody() throws IOException {
        return object(body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(byte[] body) {
        Object value;
        try {
            // The batch file's own reader, so a field reads the same over HTTP as on a line (whole numbers as longs).
            value = Json.read(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Refusal(400, "the body is not JSON (" + e.getMessage().split("\n")[0] + ")");
        }
        if (!(value instanceof Map)) {
            throw new Refusal(400, "the body must be a JSON object with a task's fields");
        }
        return (Map<String, Object>) value;
    }

    private byte[] body() throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new Refusal(413, "the body is larger than " + MAX_BODY_BYTES / (1024 * 1024) + " MB");
        }
        return body;
    }

    void responseHeader(String name, String value) {
        exchange.getResponseHeaders().set(name, value);
    }

    void json(int status, Object value) throws IOException {
        send(status, "application/json", JSON.writeValueAsBytes(value));
    }

    void error(int status, String message) throws IOException {
        json(status, Map.of("error", message));
    }

    /**
     * Starts an answer of unknown length (chunked), for a stream: the caller writes, flushes as it
     * goes, and closes it to end the answer.
     */
    OutputStream stream(String contentType) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    /** A request the API refuses (a bad body, a task that is not there), with its status and one-line reason. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
