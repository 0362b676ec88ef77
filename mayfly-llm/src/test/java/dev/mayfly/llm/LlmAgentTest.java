package dev.mayfly.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.api.ContextSegment;
import dev.mayfly.json.Json;
import dev.mayfly.llm.testing.ScriptedModelServer.Call;
import dev.mayfly.llm.testing.ScriptedModelServer.Dialect;
import dev.mayfly.llm.testing.ScriptedModelServer.Turn;
import dev.mayfly.llm.testing.ScriptedModelServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The agent's loop against a real HTTP model server speaking each protocol, with real files and programs. */
class LlmAgentTest {

    @TempDir
    Path dir;

    private Path workspace() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        Files.createDirectories(workspace.resolve("src"));
        Files.writeString(workspace.resolve("src/App.java"), "class App {\n    String greeting = \"Hello\";\n}\n");
        Files.writeString(workspace.resolve("README.md"), "# App\nSays Hello.\n");
        return workspace;
    }

    private static Map<String, String> params(ScriptedModelServer server, Dialect dialect) {
        Map<String, String> params = new HashMap<>();
        params.put("llm.provider", dialect.name().toLowerCase());
        params.put("llm.base_url", server.baseUrl());
        params.put("llm.model", "scripted-model");
        return params;
    }

    private Object run(RecordingTask recorder, Map<String, String> params, Path workspace, Clock clock) throws Exception {
        Path output = Files.createDirectories(dir.resolve("output"));
        return new LlmAgent(clock, Map.of(), Duration.ofMillis(50)).run(recorder.task("Change the greeting to Goodbye", params,
                workspace, output));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void readsSearchesEditsAndRunsACommandOverTheRealProtocol(Dialect dialect) throws Exception {
        Path workspace = workspace();
        List<Turn> script = List.of(
                Turn.calls(new Call("list_files", Map.of("path", ".")), new Call("search_text", Map.of("pattern", "Hello"))),
                Turn.calls(new Call("read_file", Map.of("path", "src/App.java"))),
                Turn.calls(new Call("edit_file", Map.of("path", "src/App.java", "old_text", "\"Hello\"",
                        "new_text", "\"Goodbye\""))),
                Turn.calls(new Call("run_command", Map.of("command", List.of("grep", "-c", "Goodbye", "src/App.java"))),
                        new Call("write_file", Map.of("path", "notes/done.txt", "content", "greeting changed\n"))),
                Turn.answer("The greeting is now Goodbye."));
        RecordingTask recorder = new RecordingTask();
        Map<?, ?> result;
        try (ScriptedModelServer server = ScriptedModelServer.start(dialect, script)) {
            result = (Map<?, ?>) run(recorder, params(server, dialect), workspace, Clock.systemUTC());

            // What went back to the model: the results of the tools, read from the last request.
            String lastRequest = Json.write(server.seen().get(server.seen().size() - 1).body());
            assertThat(lastRequest).contains("src/App.java:2:").contains("exit code 0").contains("created notes/done.txt");
            assertThat(server.seen()).extracting(ScriptedModelServer.Seen::turn).containsExactly(0, 1, 2, 3, 4);
        }

        assertThat(Files.readString(workspace.resolve("src/App.java"))).contains("\"Goodbye\"").doesNotContain("Hello");
        assertThat(workspace.resolve("notes/done.txt")).hasContent("greeting changed");
        assertThat(result.get("answer")).isEqualTo("The greeting is now Goodbye.");
        assertThat(result.get("steps")).isEqualTo(5);
        assertThat(result.get("toolCalls")).isEqualTo(6);
        assertThat(dir.resolve("output/answer.md")).hasContent("The greeting is now Goodbye.");

        List<RecordingTask.Event> modelCalls = recorder.events("model_call");
        assertThat(modelCalls).hasSize(5);
        assertThat(modelCalls).allSatisfy(event -> {
            assertThat(((Number) event.data().get("inputTokens")).longValue()).isPositive();
            assertThat(((Number) event.data().get("outputTokens")).longValue()).isEqualTo(10);
        });
        List<RecordingTask.Event> toolCalls = recorder.events("tool_call");
        assertThat(toolCalls).extracting(event -> (Object) event.data().get("tool")).containsExactly("list_files", "search_text",
                "read_file", "edit_file", "run_command", "write_file");
        assertThat(toolCalls).allSatisfy(event -> assertThat(event.data().get("ok")).isEqualTo(true));
        // Head (system, task), then five model turns and six results, numbered without gaps.
        assertThat(recorder.segments.keySet()).containsExactlyElementsOf(range(0, 13));
        assertThat(recorder.checkpoints).as("after each model call with tools and each tool call").isEqualTo(4 + 6);
    }

    @Test
    void refusesPathsOutsideTheWorkspaceWithAToolError() throws Exception {
        Path workspace = workspace();
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(workspace.resolve("link"), outside);
        List<Turn> script = List.of(
                Turn.calls(new Call("read_file", Map.of("path", "../outside/secret.txt")),
                        new Call("read_file", Map.of("path", outside.resolve("secret.txt").toString())),
                        new Call("read_file", Map.of("path", "link/secret.txt")),
                        new Call("write_file", Map.of("path", "link/planted.txt", "content", "x")),
                        new Call("run_command", Map.of("command", List.of("ls"), "cwd", "link"))),
                Turn.answer("Could not read it."));
        RecordingTask recorder = new RecordingTask();
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script)) {
            run(recorder, params(server, Dialect.OPENAI), workspace, Clock.systemUTC());
            String lastRequest = Json.write(server.seen().get(1).body());
            assertThat(lastRequest).doesNotContain("secret\\n").doesNotContain("1\\tsecret");
        }
        List<RecordingTask.Event> toolCalls = recorder.events("tool_call");
        assertThat(toolCalls).hasSize(5).allSatisfy(event -> {
            assertThat(event.data().get("ok")).isEqualTo(false);
            assertThat((String) event.data().get("error")).contains("is outside the workspace");
        });
        assertThat(outside.resolve("planted.txt")).doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void compactsALongConversationKeepingTheWindowWithinTheBudgetAndEveryTurnInTheStore(Dialect dialect) throws Exception {
        Path workspace = workspace();
        StringBuilder big = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            big.append(String.format("line %04d of a long file with some text on it%n", i));
        }
        Files.writeString(workspace.resolve("big.txt"), big);
        List<Turn> script = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            script.add(Turn.calls(new Call("read_file", Map.of("path", "big.txt", "offset", 1 + i * 30, "limit", 30))));
        }
        script.add(Turn.answer("Read it all."));
        int budget = LlmSettings.MIN_CONTEXT_TOKENS;
        Map<String, String> params;
        RecordingTask recorder = new RecordingTask();
        try (ScriptedModelServer server = ScriptedModelServer.start(dialect, script)) {
            params = params(server, dialect);
            params.put("llm.context_tokens", String.valueOf(budget));
            Map<?, ?> result = (Map<?, ?>) run(recorder, params, workspace, Clock.systemUTC());
            assertThat(result.get("steps")).isEqualTo(31);
            assertThat((Integer) result.get("compactions")).isGreaterThanOrEqualTo(3);

            List<ScriptedModelServer.Seen> seen = server.seen();
            assertThat(seen).filteredOn(ScriptedModelServer.Seen::summary).hasSize((Integer) result.get("compactions"));
            // What the model is sent is the window: within the budget, estimated as the agent does (4 characters a token).
            assertThat(seen).allSatisfy(request -> assertThat(request.messageChars() / 4).isLessThanOrEqualTo(budget));
            // The first lines were summarised away: a late request no longer holds them, only the summary.
            String late = Json.write(seen.get(seen.size() - 1).body());
            assertThat(late).doesNotContain("line 0001 of").contains("Summary of the earlier part");
        }
        List<RecordingTask.Event> compactions = recorder.events("context_compacted");
        assertThat(compactions).allSatisfy(event ->
                assertThat(((Number) event.data().get("tokensAfter")).longValue()).isLessThanOrEqualTo(budget / 2 + budget / 10));
        // The store holds every turn: 2 head, 31 model turns, 30 results, and the summaries, numbered without gaps.
        Map<String, List<ContextSegment>> byTier = recorder.segments.values().stream()
                .collect(Collectors.groupingBy(ContextSegment::tier));
        assertThat(byTier.get(ContextSegment.HEAD)).hasSize(2);
        assertThat(byTier.get(ContextSegment.RECENT)).hasSize(61);
        assertThat(byTier.get(ContextSegment.MID_TERM)).hasSize(compactions.size())
                .allSatisfy(summary -> assertThat(summary.summarisesThrough()).isGreaterThan(1));
        assertThat(recorder.segments.keySet()).containsExactlyElementsOf(range(0, 63 + compactions.size()));
        assertThat(recorder.segments.values()).anySatisfy(segment -> assertThat(segment.content()).contains("line 0001 of"));
    }

    @Test
    void resumesFromACheckpointWithoutRepeatingCompletedToolCalls() throws Exception {
        Path workspace = workspace();
        List<Turn> script = List.of(
                Turn.calls(new Call("run_command", Map.of("command", List.of("sh", "-c", "echo one >> trail.txt"))),
                        new Call("run_command", Map.of("command", List.of("sh", "-c", "echo two >> trail.txt")))),
                Turn.calls(new Call("run_command", Map.of("command", List.of("sh", "-c", "echo three >> trail.txt")))),
                Turn.answer("done"));
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script)) {
            // A first attempt that got as far as the first tool call of the first round, then ended.
            RecordingTask first = new RecordingTask();
            StopAfterFirstToolCall stopping = new StopAfterFirstToolCall(first);
            assertThatThrownBy(() -> new LlmAgent(Clock.systemUTC(), Map.of()).run(stopping.task(
                    "Leave a trail", params(server, Dialect.OPENAI), workspace, dir))).isInstanceOf(Stopped.class);
            assertThat(workspace.resolve("trail.txt")).hasContent("one");

            RecordingTask second = new RecordingTask();
            second.checkpoint = first.checkpoint;
            Map<?, ?> result = (Map<?, ?>) new LlmAgent(Clock.systemUTC(), Map.of()).run(second.task("Leave a trail",
                    params(server, Dialect.OPENAI), workspace, dir));
            assertThat(result.get("toolCalls")).isEqualTo(3);
            assertThat(second.events("tool_call")).extracting(event -> (Object) event.data().get("id"))
                    .containsExactly("call_0_1", "call_1_0");
        }
        assertThat(Files.readAllLines(workspace.resolve("trail.txt"))).containsExactly("one", "two", "three");
    }

    @Test
    void endsWithAClearReasonAtEachLimit() throws Exception {
        Path workspace = workspace();
        List<Turn> script = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            script.add(Turn.calls(new Call("list_files", Map.of())));
        }
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script)) {
            Map<String, String> steps = params(server, Dialect.OPENAI);
            steps.put("llm.max_steps", "2");
            assertThatThrownBy(() -> run(new RecordingTask(), steps, workspace, Clock.systemUTC()))
                    .isInstanceOf(LimitReachedException.class)
                    .hasMessage("step limit reached: 2 model calls without an answer (MAYFLY_LLM_MAX_STEPS=2)");

            Map<String, String> tokens = params(server, Dialect.OPENAI);
            tokens.put("llm.max_tokens", "50");
            assertThatThrownBy(() -> run(new RecordingTask(), tokens, workspace, Clock.systemUTC()))
                    .isInstanceOf(LimitReachedException.class)
                    .hasMessageStartingWith("token limit reached: ").hasMessageEndingWith("(MAYFLY_LLM_MAX_TOKENS=50)");

            Map<String, String> time = params(server, Dialect.OPENAI);
            time.put("llm.max_time", "1h");
            SteppingClock clock = new SteppingClock(Duration.ofMinutes(25));
            assertThatThrownBy(() -> run(new RecordingTask(), time, workspace, clock))
                    .isInstanceOf(LimitReachedException.class)
                    .hasMessageStartingWith("time limit reached: ").hasMessageEndingWith("(MAYFLY_LLM_MAX_TIME=3600s)");
        }
    }

    @Test
    void anUnreachableServerIsNamedWithWhatToCheck() throws Exception {
        Path workspace = workspace();
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Map<String, String> params = new HashMap<>();
        params.put("llm.base_url", "http://127.0.0.1:" + closed + "/v1");
        params.put("llm.model", "scripted-model");

        assertThatThrownBy(() -> run(new RecordingTask(), params, workspace, Clock.systemUTC()))
                .hasMessageStartingWith("the openai model server at http://127.0.0.1:" + closed + "/v1 could not be "
                        + "reached (ConnectException), 3 attempts over ")
                .hasMessageEndingWith(": check that it is running and that MAYFLY_LLM_BASE_URL (or --param llm.base_url) "
                        + "is its address");
    }

    private static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long i = from; i < to; i++) {
            list.add(i);
        }
        return list;
    }

    /** A clock that moves on by a step each time it is read. */
    private static final class SteppingClock extends Clock {
        private final Duration step;
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        SteppingClock(Duration step) {
            this.step = step;
        }

        @Override
        public Instant instant() {
            Instant current = now;
            now = now.plus(step);
            return current;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** Reports that end the attempt, as a killed worker would, right after the first tool call's checkpoint. */
    private static final class StopAfterFirstToolCall extends RecordingTask {
        private final RecordingTask inner;

        StopAfterFirstToolCall(RecordingTask inner) {
            this.inner = inner;
        }

        @Override
        public void checkpoint(String state) {
            inner.checkpoint(state);
            if (!inner.events("tool_call").isEmpty()) {
                throw new Stopped();
            }
        }

        @Override
        public void event(String type, Map<String, ?> data) {
            inner.event(type, data);
        }
    }
}
