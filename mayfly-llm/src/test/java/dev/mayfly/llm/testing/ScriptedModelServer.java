package dev.mayfly.llm.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mayfly.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model server for tests, on a free loopback port, that speaks the OpenAI chat-completions or the
 * Anthropic messages protocol and replays a script of model turns.
 *
 * <p>Which turn answers a request is read from the request itself, not from a counter: the tool
 * calls of turn {@code i} have the ids {@code call_i_j}, so the last assistant message in the
 * conversation tells which turn comes next. A client that repeats a request (a task resumed in a
 * fresh worker) gets the same turn again. A request without tools is a summarisation request; it
 * is answered with a short summary naming how many turns it covered.
 */
public final class ScriptedModelServer implements AutoCloseable {

    /** The protocol spoken. */
    public enum Dialect { OPENAI, ANTHROPIC }

    /** A tool call in a scripted turn. */
    public record Call(String name, Map<String, Object> arguments) {}

    /** One scripted model turn: tool calls, or a final answer. */
    public record Turn(String text, List<Call> calls) {

        public static Turn calls(Call... calls) {
            return new Turn(null, List.of(calls));
        }

        public static Turn answer(String text) {
            return new Turn(text, List.of());
        }
    }

    /** What the server saw of one request. */
    public record Seen(int turn, boolean summary, int messageChars, Map<String, Object> body) {}

    private static final Pattern CALL_ID = Pattern.compile("call_(\\d+)_\\d+");

    private final Dialect dialect;
    private final List<Turn> script;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, Hold> holds = new ConcurrentHashMap<>();

    private ScriptedModelServer(Dialect dialect, List<Turn> script) throws IOException {
        this.dialect = dialect;
        this.script = List.copyOf(script);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static ScriptedModelServer start(Dialect dialect, List<Turn> script) throws IOException {
        return new ScriptedModelServer(dialect, script);
    }

    /** The base URL to configure (MAYFLY_LLM_BASE_URL). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** The first request for {@code turn} will wait, once, until released. */
    public Hold hold(int turn) {
        Hold hold = new Hold();
        holds.put(turn, hold);
        return hold;
    }

    /** A request kept waiting: the test sees it arrive, does something, and lets it go. */
    public static final class Hold {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        public boolean awaitArrival(long seconds) throws InterruptedException {
            return arrived.await(seconds, TimeUnit.SECONDS);
        }

        public void release() {
            released.countDown();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean known = dialect == Dialect.OPENAI ? path.endsWith("/chat/completions") : path.endsWith("/messages");
            if (!"POST".equals(exchange.getRequestMethod()) || !known) {
                respond(exchange, 404, Map.of("error", Map.of("message", "no such endpoint: " + path)));
                return;
            }
            Map<String, Object> body = Json.readObject(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            boolean summary = !(body.get("tools") instanceof List) || ((List<?>) body.get("tools")).isEmpty();
            int turn = summary ? -1 : nextTurn(body);
            int chars = Json.write(body.get("messages")).length()
                    + (body.get("system") == null ? 0 : Json.write(body.get("system")).length());
            seen.add(new Seen(turn, summary, chars, body));
            Hold hold = summary ? null : holds.remove(turn);
            if (hold != null) {
                hold.arrived.countDown();
                try {
                    hold.released.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (!summary && turn >= script.size()) {
                respond(exchange, 400, Map.of("error", Map.of("message", "the script has no turn " + turn)));
                return;
            }
            String text = summary ? "Summary " + seen.size() + ": earlier turns compacted." : script.get(turn).text();
            List<Call> calls = summary ? List.of() : script.get(turn).calls();
            respond(exchange, 200, dialect == Dialect.OPENAI ? openAi(body, turn, text, calls, chars)
                    : anthropic(body, turn, text, calls, chars));
        } catch (RuntimeException e) {
            respond(exchange, 500, Map.of("error", Map.of("message", e.toString())));
        }
    }

    /** The turn after the one whose tool calls are last in the conversation; 0 when there are none. */
    @SuppressWarnings("unchecked")
    private static int nextTurn(Map<String, Object> body) {
        List<Map<String, Object>> messages = (List<Map<String, Object>>) body.get("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            String text = Json.write(messages.get(i));
            if (!"assistant".equals(messages.get(i).get("role"))) {
                continue;
            }
            Matcher matcher = CALL_ID.matcher(text);
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1)) + 1;
            }
        }
        return 0;
    }

    private static Map<String, Object> openAi(Map<String, Object> body, int turn, String text, List<Call> calls,
            int chars) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", text);
        if (!calls.isEmpty()) {
            List<Map<String, Object>> toolCalls = new ArrayList<>();
            for (int j = 0; j < calls.size(); j++) {
                toolCalls.add(Map.of("id", "call_" + turn + "_" + j, "type", "function", "function",
                        Map.of("name", calls.get(j).name(), "arguments", Json.write(calls.get(j).arguments()))));
            }
            message.put("tool_calls", toolCalls);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", "chatcmpl-" + turn);
        response.put("object", "chat.completion");
        response.put("created", System.currentTimeMillis() / 1000);
        response.put("model", body.get("model"));
        response.put("choices", List.of(Map.of("index", 0, "message", message, "finish_reason",
                calls.isEmpty() ? "stop" : "tool_calls")));
        response.put("usage", Map.of("prompt_tokens", chars / 4, "completion_tokens", 10, "total_tokens", chars / 4 + 10));
        return response;
    }

    private static Map<String, Object> anthropic(Map<String, Object> body, int turn, String text, List<Call> calls,
            int chars) {
        List<Map<String, Object>> content = new ArrayList<>();
        if (text != null) {
            content.add(Map.of("type", "text", "text", text));
        }
        for (int j = 0; j < calls.size(); j++) {
            content.add(Map.of("type", "tool_use", "id", "call_" + turn + "_" + j, "name", calls.get(j).name(),
                    "input", calls.get(j).arguments()));
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", "msg_" + turn);
        response.put("type", "message");
        response.put("role", "assistant");
        response.put("model", body.get("model"));
        response.put("content", content);
        response.put("stop_reason", calls.isEmpty() ? "end_turn" : "tool_use");
        response.put("stop_sequence", null);
        response.put("usage", Map.of("input_tokens", chars / 4, "output_tokens", 10));
        return response;
    }

    private static void respond(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // The client went away (a worker killed mid-request); nothing to answer.
        }
    }

    @Override
    public void close() {
        holds.values().forEach(Hold::release);
        server.stop(0);
        executor.shutdownNow();
    }
}
