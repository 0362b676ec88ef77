package dev.mayfly.llm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The context size a local model server says it has, where it says it: llama.cpp's
 * {@code GET /props} ({@code default_generation_settings.n_ctx}), vLLM's {@code GET /v1/models}
 * ({@code max_model_len} of the model), Ollama's {@code POST /api/show} (a {@code num_ctx}
 * parameter of the model). Each is asked once, briefly, at a task's start; a server that answers
 * none of them (a hosted API, Ollama without {@code num_ctx}) is left to the configured budget.
 *
 * @param tokens the context size
 * @param source where it was read, for the event and the log
 */
record ServerContext(int tokens, String source) {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private static final Pattern NUM_CTX = Pattern.compile("(?m)^\\s*num_ctx\\s+(\\d+)");

    /**
     * Asks the server at {@code baseUrl} (an API's, ending in /v1 or not).
     *
     * @param apiKey sent as a bearer token when there is one (vLLM started with --api-key wants it)
     */
    static Optional<ServerContext> probe(String baseUrl, String model, String apiKey) {
        String api = baseUrl.replaceAll("/+$", "");
        String root = api.endsWith("/v1") ? api.substring(0, api.length() - 3) : api;
        Probe http = new Probe(HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build(), apiKey);
        Optional<ServerContext> found = llamaCpp(http, root);
        if (found.isEmpty()) {
            found = vllm(http, api, model);
        }
        if (found.isEmpty()) {
            found = ollama(http, root, model);
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    private static Optional<ServerContext> llamaCpp(Probe http, String root) {
        Map<String, Object> props = http.ask(HttpRequest.newBuilder(URI.create(root + "/props")).GET());
        Object settings = props == null ? null : props.get("default_generation_settings");
        Object nCtx = settings instanceof Map ? ((Map<String, Object>) settings).get("n_ctx") : null;
        return positive(nCtx).map(tokens -> new ServerContext(tokens, "llama.cpp GET /props"));
    }

    @SuppressWarnings("unchecked")
    private static Optional<ServerContext> vllm(Probe http, String api, String model) {
        Map<String, Object> models = http.ask(HttpRequest.newBuilder(URI.create(api + "/models")).GET());
        if (models == null || !(models.get("data") instanceof List)) {
            return Optional.empty();
        }
        for (Object entry : (List<Object>) models.get("data")) {
            if (entry instanceof Map && model.equals(((Map<String, Object>) entry).get("id"))) {
                return positive(((Map<String, Object>) entry).get("max_model_len"))
                        .map(tokens -> new ServerContext(tokens, "vLLM GET /v1/models"));
            }
        }
        return Optional.empty();
    }

    private static Optional<ServerContext> ollama(Probe http, String root, String model) {
        Map<String, Object> show = http.ask(HttpRequest.newBuilder(URI.create(root + "/api/show"))
                .POST(HttpRequest.BodyPublishers.ofString(JsonValues.write(Map.of("model", model)))));
        if (show == null || !(show.get("parameters") instanceof String)) {
            return Optional.empty();
        }
        Matcher matcher = NUM_CTX.matcher((String) show.get("parameters"));
        return matcher.find() ? positive(Integer.valueOf(matcher.group(1)))
                .map(tokens -> new ServerContext(tokens, "Ollama POST /api/show (num_ctx)")) : Optional.empty();
    }

    /** One server's questions, with its key when there is one. */
    private record Probe(HttpClient http, String apiKey) {

        /** The JSON object answered, or null for anything else: a server without the endpoint is no error. */
        Map<String, Object> ask(HttpRequest.Builder request) {
            if (apiKey != null) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            try {
                HttpResponse<String> response = http.send(request.timeout(PROBE_TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return response.statusCode() == 200 ? JsonValues.readObject(response.body()) : null;
            } catch (IOException | RuntimeException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private static Optional<Integer> positive(Object value) {
        return value instanceof Number && ((Number) value).longValue() > 0
                ? Optional.of((int) Math.min(Integer.MAX_VALUE, ((Number) value).longValue())) : Optional.empty();
    }
}
