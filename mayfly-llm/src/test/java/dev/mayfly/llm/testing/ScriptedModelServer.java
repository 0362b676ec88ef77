package dev.mayfly.llm.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mayfly.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model server for tests, on a free loopback port, that speaks the OpenAI chat-completions or the
 * Anthropic messages protocol, whole or streamed (server-sent events, when the request asks for a
 * stream), and replays a script of model turns.
 *
 * <p>Which turn answers a request is read from the request itself, not from a counter: the tool
 * calls of turn {@code i} have the ids {@code call_i_j}, so the last assistant message in the
 * conversation tells which turn comes next. A client that repeats a request (a task resumed in a
 * fresh worker) gets the same turn again, unless the turn says what comes {@link Turn#then} when it
 * is asked again. A request without tools is a summarisation request; it is answered with a short
 * summary naming how many turns it covered.
 *
 * <p>It also does what real servers do and a plain script would not, as llama.cpp's
 * {@code llama-server} was seen doing: it refuses a conversation that holds tool-call arguments
 * that are not JSON (500), refuses a request larger than its context (400, with llama.cpp's
 * message), can tell its context size where llama.cpp and vLLM tell it, can report most input as
 * cached (Anthropic), and can fail, hang or drop the connection for the next requests.
 */
public final class ScriptedModelServer implements AutoCloseable {

    /** The protocol spoken. */
    public enum Dialect { OPENAI, ANTHROPIC }

    /** Where the server tells its context size, as real servers do. */
    public enum Advertised {
        /** llama.cpp: {@code GET /props} has {@code default_generation_settings.n_ctx}. */
        LLAMA_CPP,
        /** vLLM: {@code GET /v1/models} has each model's {@code max_model_len}. */
        VLLM,
        /** Ollama: {@code POST /api/show} has the model's parameters, {@code num_ctx} among them. */
        OLLAMA
    }

    /**
     * A tool call in a scripted turn.
     *
     * @param raw the arguments exactly as sent (OpenAI), when they are not to be the JSON of {@code arguments}
     */
    public record Call(String name, Map<String, Object> arguments, String raw) {

        public Call(String name, Map<String, Object> arguments) {
            this(name, arguments, null);
        }

        String argumentsJson() {
            return raw != null ? raw : Json.write(arguments);
        }
    }

    /**
     * One scripted model turn: tool calls, or a final answer.
     *
     * @param finish null for the natural end ({@code stop}/{@code tool_calls}, {@code end_turn}/{@code tool_use}),
     *     or {@code length} for a turn cut at the output limit
     * @param then the turn to give when this one is asked for again, or null to give this one again
     */
    public record Turn(String text, List<Call> calls, String finish, Turn then) {

        public Turn(String text, List<Call> calls) {
            this(text, calls, null, null);
        }

        public static Turn calls(Call... calls) {
            return new Turn(null, List.of(calls));
        }

        public static Turn answer(String text) {
            return new Turn(text, List.of());
        }

        /** An answer cut off at the output limit. */
        public static Turn cutAnswer(String text) {
            return new Turn(text, List.of(), "length", null);
        }

        /** Tool calls cut off at the output limit (give the last one {@code raw} arguments such as "{"). */
        public static Turn cutCalls(Call... calls) {
            return new Turn(null, List.of(calls), "length", null);
        }

        /** This turn the first time; {@code next} when the same turn is asked for again. */
        public Turn then(Turn next) {
            return new Turn(text, calls, finish, this.then == null ? next : this.then.then(next));
        }
    }

    /** What the server saw of one request. */
    public record Seen(int turn, boolean summary, int messageChars, Map<String, Object> body) {

        public boolean streamed() {
            return Boolean.TRUE.equals(body.get("stream"));
        }

        /** The request's size in tokens as this server counted it for its usage and its context. */
        public int tokens() {
            return ScriptedModelServer.tokens(body);
        }
    }

    private enum FaultKind { STATUS, HANG, DROP, CUT_STREAM }

    private record Fault(FaultKind kind, int status, String message) {}

    private static final Pattern CALL_ID = Pattern.compile("call_(\\d+)_\\d+");

    private final Dialect dialect;
    private final List<Turn> script;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, Hold> holds = new ConcurrentHashMap<>();
    private final Map<Integer, Hold> streamHolds = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> asked = new ConcurrentHashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile int contextSize;
    private volatile Advertised advertised;
    private volatile double cachedShare;

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

    /** Requests of more than {@code tokens} (four characters a token, tools included) are refused as llama.cpp does. */
    public ScriptedModelServer contextSize(int tokens) {
        this.contextSize = tokens;
        return this;
    }

    /** Tells the context size where {@code where} does. */
    public ScriptedModelServer advertise(Advertised where) {
        this.advertised = where;
        return this;
    }

    /** Reports this share of each request's input as read from the prompt cache (Anthropic). */
    public ScriptedModelServer cached(double share) {
        this.cachedShare = share;
        return this;
    }

    /** The next {@code count} requests are answered with {@code status} and {@code message}. */
    public ScriptedModelServer failNext(int count, int status, String message) {
        return fault(count, new Fault(FaultKind.STATUS, status, message));
    }

    /** The next {@code count} requests get no answer until the server closes. */
    public ScriptedModelServer hangNext(int count) {
        return fault(count, new Fault(FaultKind.HANG, 0, null));
    }

    /** The next {@code count} streamed answers end after their first piece, the connection closed, as a killed server's. */
    public ScriptedModelServer cutStreamNext(int count) {
        return fault(count, new Fault(FaultKind.CUT_STREAM, 0, null));
    }

    /** The next {@code count} requests are read and their connection closed without an answer. */
    public ScriptedModelServer dropNext(int count) {
        return fault(count, new Fault(FaultKind.DROP, 0, null));
    }

    private ScriptedModelServer fault(int count, Fault fault) {
        synchronized (faults) {
            for (int i = 0; i < count; i++) {
                faults.add(fault);
            }
        }
        return this;
    }

    /** The first request for {@code turn} will wait, once, until released. */
    public Hold hold(int turn) {
        Hold hold = new Hold();
        holds.put(turn, hold);
        return hold;
    }

    /** The first streamed answer for {@code turn} will stop after its first piece, once, until released. */
    public Hold holdStream(int turn) {
        Hold hold = new Hold();
        streamHolds.put(turn, hold);
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
            if ("GET".equals(exchange.getRequestMethod()) || path.equals("/api/show")) {
                answerAbout(exchange, path);
                return;
            }
            boolean known = dialect == Dialect.OPENAI ? path.endsWith("/chat/completions") : path.endsWith("/messages");
            if (!"POST".equals(exchange.getRequestMethod()) || !known) {
                respond(exchange, 404, error(404, "no such endpoint: " + path));
                return;
            }
            Map<String, Object> body = Json.readObject(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            boolean summary = !(body.get("tools") instanceof List) || ((List<?>) body.get("tools")).isEmpty();
            int turn = summary ? -1 : nextTurn(body);
            int chars = Json.write(body.get("messages")).length()
                    + (body.get("system") == null ? 0 : Json.write(body.get("system")).length());
            seen.add(new Seen(turn, summary, chars, body));
            Fault fault;
            synchronized (faults) {
                fault = faults.poll();
            }
            if (fault != null && fault.kind() != FaultKind.CUT_STREAM) {
                answerWithFault(exchange, fault);
                return;
            }
            Hold hold = summary ? null : holds.remove(turn);
            if (hold != null) {
                hold.arrived.countDown();
                await(hold.released);
            }
            String refusal = refusal(body);
            if (refusal != null) {
                int status = refusal.startsWith("Failed") ? 500 : 400;
                respond(exchange, status, error(status, refusal));
                return;
            }
            if (!summary && turn >= script.size()) {
                respond(exchange, 400, error(400, "the script has no turn " + turn));
                return;
            }
            Turn reply = summary ? Turn.answer("Summary " + seen.size() + ": earlier turns compacted.") : served(turn);
            int inputTokens = tokens(body);
            if (Boolean.TRUE.equals(body.get("stream"))) {
                stream(exchange, summary ? null : streamHolds.remove(turn), fault != null, dialect == Dialect.OPENAI ? openAiEvents(body, turn, reply, inputTokens)
                        : anthropicEvents(body, turn, reply, inputTokens));
            } else {
                respond(exchange, 200, dialect == Dialect.OPENAI ? openAi(body, turn, reply, inputTokens)
                        : anthropic(body, turn, reply, inputTokens));
            }
        } catch (RuntimeException e) {
            respond(exchange, 500, error(500, e.toString()));
        }
    }

    /** The turn to give: the scripted one, or what it says comes next when it was given before. */
    private Turn served(int turn) {
        int times = asked.computeIfAbsent(turn, t -> new AtomicInteger()).getAndIncrement();
        Turn reply = script.get(turn);
        for (int i = 0; i < times && reply.then() != null; i++) {
            reply = reply.then();
        }
        return reply;
    }

    /** What a server tells about itself: its context size, where {@link #advertise} says. */
    private void answerAbout(HttpExchange exchange, String path) throws IOException {
        if (advertised == Advertised.LLAMA_CPP && path.equals("/props")) {
            respond(exchange, 200, Map.of("default_generation_settings", Map.of("n_ctx", contextSize),
                    "total_slots", 1));
        } else if (advertised == Advertised.VLLM && path.endsWith("/v1/models")) {
            respond(exchange, 200, Map.of("object", "list", "data", List.of(
                    Map.of("id", "other-model", "object", "model", "max_model_len", 999_999),
                    Map.of("id", "scripted-model", "object", "model", "max_model_len", contextSize))));
        } else if (advertised == Advertised.OLLAMA && path.equals("/api/show")
                && new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).contains("scripted-model")) {
            respond(exchange, 200, Map.of("parameters", "stop                           \"<|im_end|>\"\nnum_ctx                        "
                    + contextSize + "\ntemperature                    0.2", "model_info", Map.of("qwen2.context_length", 32768)));
        } else {
            respond(exchange, 404, error(404, "File Not Found"));
        }
    }

    private void answerWithFault(HttpExchange exchange, Fault fault) throws IOException {
        switch (fault.kind()) {
            case STATUS:
                respond(exchange, fault.status(), error(fault.status(), fault.message()));
                break;
            case HANG:
                await(closing);
                break;
            default:
                // Closing the exchange without an answer: the client reads the end of the stream, as when a
                // server is killed mid-request.
                exchange.getResponseBody().close();
                break;
        }
    }

    /** Why a server like llama.cpp would refuse the request, or null. */
    @SuppressWarnings("unchecked")
    private String refusal(Map<String, Object> body) {
        if (dialect == Dialect.OPENAI) {
            for (Map<String, Object> message : (List<Map<String, Object>>) body.get("messages")) {
                if (message.get("tool_calls") instanceof List) {
                    for (Map<String, Object> call : (List<Map<String, Object>>) message.get("tool_calls")) {
                        String arguments = (String) ((Map<String, Object>) call.get("function")).get("arguments");
                        try {
                            Json.readObject(arguments);
                        } catch (IOException | RuntimeException e) {
                            return "Failed to parse tool call arguments as JSON: " + arguments;
                        }
                    }
                }
            }
        }
        int tokens = tokens(body);
        if (contextSize > 0 && tokens > contextSize) {
            return "request (" + tokens + " tokens) exceeds the available context size (" + contextSize
                    + " tokens), try increasing it";
        }
        return null;
    }

    /** The request's size in tokens as this server counts it: four characters a token, tools included. */
    private static int tokens(Map<String, Object> body) {
        int chars = Json.write(body.get("messages")).length()
                + (body.get("system") == null ? 0 : Json.write(body.get("system")).length())
                + (body.get("tools") == null ? 0 : Json.write(body.get("tools")).length());
        return chars / 4;
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

    private static String openAiFinish(Turn reply) {
        return reply.finish() != null ? reply.finish() : reply.calls().isEmpty() ? "stop" : "tool_calls";
    }

    private static String anthropicStop(Turn reply) {
        return "length".equals(reply.finish()) ? "max_tokens" : reply.calls().isEmpty() ? "end_turn" : "tool_use";
    }

    private static Map<String, Object> openAi(Map<String, Object> body, int turn, Turn reply, int inputTokens) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", reply.text());
        if (!reply.calls().isEmpty()) {
            List<Map<String, Object>> toolCalls = new ArrayList<>();
            for (int j = 0; j < reply.calls().size(); j++) {
                Call call = reply.calls().get(j);
                toolCalls.add(Map.of("id", "call_" + turn + "_" + j, "type", "function", "function",
                        Map.of("name", call.name(), "arguments", call.argumentsJson())));
            }
            message.put("tool_calls", toolCalls);
        }
        Map<String, Object> response = openAiEnvelope(body, turn, "chat.completion");
        response.put("choices", List.of(Map.of("index", 0, "message", message, "finish_reason", openAiFinish(reply))));
        response.put("usage", openAiUsage(inputTokens));
        return response;
    }

    private static Map<String, Object> openAiEnvelope(Map<String, Object> body, int turn, String object) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", "chatcmpl-" + turn);
        response.put("object", object);
        response.put("created", System.currentTimeMillis() / 1000);
        response.put("model", body.get("model"));
        return response;
    }

    private static Map<String, Object> openAiUsage(int inputTokens) {
        return Map.of("prompt_tokens", inputTokens, "completion_tokens", 10, "total_tokens", inputTokens + 10);
    }

    /** The turn as OpenAI's stream: text in pieces, each tool call's arguments in two pieces, the finish, the usage. */
    private static List<String> openAiEvents(Map<String, Object> body, int turn, Turn reply, int inputTokens) {
        List<String> events = new ArrayList<>();
        for (String piece : pieces(reply.text())) {
            events.add(openAiChunk(body, turn, Map.of("role", "assistant", "content", piece), null));
        }
        for (int j = 0; j < reply.calls().size(); j++) {
            Call call = reply.calls().get(j);
            String arguments = call.argumentsJson();
            int half = arguments.length() / 2;
            events.add(openAiChunk(body, turn, Map.of("tool_calls", List.of(Map.of("index", j, "id", "call_" + turn + "_" + j,
                    "type", "function", "function", Map.of("name", call.name(), "arguments", arguments.substring(0, half))))), null));
            events.add(openAiChunk(body, turn, Map.of("tool_calls", List.of(Map.of("index", j, "function",
                    Map.of("arguments", arguments.substring(half))))), null));
        }
        events.add(openAiChunk(body, turn, Map.of(), openAiFinish(reply)));
        Map<String, Object> usage = openAiEnvelope(body, turn, "chat.completion.chunk");
        usage.put("choices", List.of());
        usage.put("usage", openAiUsage(inputTokens));
        events.add("data: " + Json.write(usage));
        events.add("data: [DONE]");
        return events;
    }

    private static String openAiChunk(Map<String, Object> body, int turn, Map<String, Object> delta, String finish) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", finish);
        Map<String, Object> chunk = openAiEnvelope(body, turn, "chat.completion.chunk");
        chunk.put("choices", List.of(choice));
        return "data: " + Json.write(chunk);
    }

    private Map<String, Object> anthropic(Map<String, Object> body, int turn, Turn reply, int inputTokens) {
        List<Map<String, Object>> content = new ArrayList<>();
        if (reply.text() != null) {
            content.add(Map.of("type", "text", "text", reply.text()));
        }
        for (int j = 0; j < reply.calls().size(); j++) {
            Call call = reply.calls().get(j);
            content.add(Map.of("type", "tool_use", "id", "call_" + turn + "_" + j, "name", call.name(),
                    "input", call.arguments()));
        }
        Map<String, Object> response = anthropicMessage(body, turn, inputTokens, 10);
        response.put("content", content);
        response.put("stop_reason", anthropicStop(reply));
        return response;
    }

    private Map<String, Object> anthropicMessage(Map<String, Object> body, int turn, int inputTokens, int outputTokens) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", "msg_" + turn);
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", body.get("model"));
        message.put("content", List.of());
        message.put("stop_reason", null);
        message.put("stop_sequence", null);
        message.put("usage", anthropicUsage(inputTokens, outputTokens));
        return message;
    }

    /** Anthropic's usage: with a cached share, most input is reported apart as read from the cache, some as written to it. */
    private Map<String, Object> anthropicUsage(int inputTokens, int outputTokens) {
        int cacheRead = (int) (inputTokens * cachedShare);
        int cacheWrite = cachedShare > 0 ? (inputTokens - cacheRead) / 2 : 0;
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("input_tokens", inputTokens - cacheRead - cacheWrite);
        usage.put("cache_creation_input_tokens", cacheWrite);
        usage.put("cache_read_input_tokens", cacheRead);
        usage.put("output_tokens", outputTokens);
        return usage;
    }

    /** The turn as Anthropic's stream of named events. */
    private List<String> anthropicEvents(Map<String, Object> body, int turn, Turn reply, int inputTokens) {
        List<String> events = new ArrayList<>();
        events.add(anthropicEvent("message_start", Map.of("type", "message_start",
                "message", anthropicMessage(body, turn, inputTokens, 1))));
        int index = 0;
        if (reply.text() != null) {
            events.add(anthropicEvent("content_block_start", Map.of("type", "content_block_start", "index", index,
                    "content_block", Map.of("type", "text", "text", ""))));
            for (String piece : pieces(reply.text())) {
                events.add(anthropicEvent("content_block_delta", Map.of("type", "content_block_delta", "index", index,
                        "delta", Map.of("type", "text_delta", "text", piece))));
            }
            events.add(anthropicEvent("content_block_stop", Map.of("type", "content_block_stop", "index", index)));
            index++;
        }
        for (int j = 0; j < reply.calls().size(); j++, index++) {
            Call call = reply.calls().get(j);
            events.add(anthropicEvent("content_block_start", Map.of("type", "content_block_start", "index", index,
                    "content_block", Map.of("type", "tool_use", "id", "call_" + turn + "_" + j, "name", call.name(),
                            "input", Map.of()))));
            events.add(anthropicEvent("content_block_delta", Map.of("type", "content_block_delta", "index", index,
                    "delta", Map.of("type", "input_json_delta", "partial_json", Json.write(call.arguments())))));
            events.add(anthropicEvent("content_block_stop", Map.of("type", "content_block_stop", "index", index)));
        }
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("stop_reason", anthropicStop(reply));
        delta.put("stop_sequence", null);
        events.add(anthropicEvent("message_delta", Map.of("type", "message_delta", "delta", delta,
                "usage", Map.of("output_tokens", 10))));
        events.add(anthropicEvent("message_stop", Map.of("type", "message_stop")));
        return events;
    }

    private static String anthropicEvent(String name, Map<String, Object> data) {
        return "event: " + name + "\ndata: " + Json.write(data);
    }

    /** A text in three pieces, so that a client that streams sees it arrive in parts. */
    private static List<String> pieces(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        int third = Math.max(1, text.length() / 3);
        List<String> pieces = new ArrayList<>();
        for (int start = 0; start < text.length(); start += third) {
            pieces.add(text.substring(start, Math.min(text.length(), start + third)));
        }
        return pieces;
    }

    private static Map<String, Object> error(int code, String message) {
        return Map.of("error", Map.of("code", code, "message", message, "type", code == 400 ? "invalid_request_error"
                : "server_error"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends the events; with a hold, stops after the first text piece until it is released. */
    private static void stream(HttpExchange exchange, Hold hold, boolean cut, List<String> events) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        try {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                boolean held = hold == null;
                for (String event : events) {
                    out.write((event + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    boolean piece = event.contains("\"content\":") || event.contains("text_delta");
                    if (cut && piece) {
                        // The server dies here: the connection closes with no end of the stream.
                        break;
                    }
                    if (!held && piece) {
                        held = true;
                        hold.arrived.countDown();
                        await(hold.released);
                    }
                }
            }
        } catch (IOException e) {
            // The client went away; nothing to answer.
        }
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
        streamHolds.values().forEach(Hold::release);
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
