package dev.mayfly.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.agent.RunningTask;
import dev.mayfly.api.ContextSegment;
import dev.mayfly.json.Json;
import dev.mayfly.llm.testing.ScriptedModelServer.Advertised;
import dev.mayfly.llm.testing.ScriptedModelServer.Call;
import dev.mayfly.llm.testing.ScriptedModelServer.Dialect;
import dev.mayfly.llm.testing.ScriptedModelServer.Seen;
import dev.mayfly.llm.testing.ScriptedModelServer.Turn;
import dev.mayfly.llm.testing.ScriptedModelServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What real model servers do and a plain script did not, each as llama.cpp's {@code llama-server}
 * was seen doing it: turns cut at the output limit, cached input counted apart, failures of every
 * kind, and a context smaller than the budget. Every case runs over real HTTP, streamed (the
 * default) and, where the protocol's shape differs, whole.
 */
class ModelServerTroubleTest {

    @TempDir
    Path dir;

    private Path workspace() throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        Files.writeString(workspace.resolve("App.java"), "class App {\n    String greeting = \"Hello\";\n}\n");
        return workspace;
    }

    private static Map<String, String> params(ScriptedModelServer server, Dialect dialect, boolean stream) {
        Map<String, String> params = new HashMap<>();
        params.put("llm.provider", dialect.name().toLowerCase());
        params.put("llm.base_url", server.baseUrl());
        params.put("llm.model", "scripted-model");
        params.put("llm.stream", String.valueOf(stream));
        return params;
    }

    private Map<?, ?> run(RecordingTask recorder, Map<String, String> params) throws Exception {
        Path output = Files.createDirectories(dir.resolve("output"));
        // Retries wait 50 ms, 100 ms, … rather than 1 s, 2 s, …: what is tested is which requests are sent again.
        return (Map<?, ?>) new LlmAgent(Clock.systemUTC(), Map.of(), Duration.ofMillis(50))
                .run(recorder.task("Change the greeting", params, workspace(), output));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(RecordingTask.Event event) {
        return (Map<String, Object>) event.data();
    }

    private static List<Object> outcomes(RecordingTask recorder) {
        return recorder.events("model_call").stream().map(event -> (Object) event.data().get("outcome")).toList();
    }

    @ParameterizedTest
    @CsvSource({"OPENAI,true", "OPENAI,false", "ANTHROPIC,true", "ANTHROPIC,false"})
    void aToolCallCutAtTheOutputLimitIsNeitherRunNorSentBack(Dialect dialect, boolean stream) throws Exception {
        // The server cut the call's arguments after "{"; asked again, the model makes the call whole.
        List<Turn> script = List.of(
                Turn.cutCalls(new Call("write_file", Map.of("path", "cut.txt", "content", "x"), "{"))
                        .then(Turn.calls(new Call("write_file", Map.of("path", "notes.txt", "content", "whole\n")))),
                Turn.answer("Wrote the notes."));
        RecordingTask recorder = new RecordingTask();
        try (ScriptedModelServer server = ScriptedModelServer.start(dialect, script)) {
            Map<?, ?> result = run(recorder, params(server, dialect, stream));

            assertThat(result.get("answer")).isEqualTo("Wrote the notes.");
            // The cut turn was not sent back: had it been, the server would have refused the conversation
            // (500, "Failed to parse tool call arguments") and the next turn asked for would have been 1.
            assertThat(server.seen()).extracting(Seen::turn).containsExactly(0, 0, 1);
            String second = Json.write(server.seen().get(1).body());
            assertThat(second).contains("cut off at the output limit").doesNotContain("cut.txt");
        }
        assertThat(dir.resolve("workspace/cut.txt")).doesNotExist();
        assertThat(dir.resolve("workspace/notes.txt")).hasContent("whole");
        assertThat(outcomes(recorder)).containsExactly("cut", "ok", "ok");
        assertThat(recorder.events("tool_call")).hasSize(1);
        assertThat(recorder.segments.values()).noneSatisfy(segment -> assertThat(segment.content()).contains("cut.txt"));
    }

    @ParameterizedTest
    @CsvSource({"OPENAI,true", "ANTHROPIC,false"})
    void anAnswerCutAtTheOutputLimitIsContinuedNotTakenAsTheAnswer(Dialect dialect, boolean stream) throws Exception {
        List<Turn> script = List.of(Turn.cutAnswer("The greeting ").then(Turn.answer("now says Goodbye.")));
        RecordingTask recorder = new RecordingTask();
        try (ScriptedModelServer server = ScriptedModelServer.start(dialect, script)) {
            Map<?, ?> result = run(recorder, params(server, dialect, stream));

            assertThat(result.get("answer")).isEqualTo("The greeting now says Goodbye.");
            assertThat(Json.write(server.seen().get(1).body())).contains("The greeting ").contains("Continue it exactly");
        }
        assertThat(outcomes(recorder)).containsExactly("cut", "ok");
        assertThat(dir.resolve("output/answer.md")).hasContent("The greeting now says Goodbye.");
    }

    @Test
    void turnsCutThreeTimesInARowFailTheTaskNamingTheSettingToRaise() throws Exception {
        List<Turn> script = List.of(Turn.cutAnswer("a").then(Turn.cutAnswer("b")).then(Turn.cutAnswer("c"))
                .then(Turn.answer("never reached")));
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script)) {
            Map<String, String> params = params(server, Dialect.OPENAI, true);
            params.put("llm.max_output_tokens", "500");
            assertThatThrownBy(() -> run(new RecordingTask(), params))
                    .isInstanceOf(LimitReachedException.class)
                    .hasMessage("the model's turns were cut off at the output limit 3 times in a row (500 tokens a turn): "
                            + "raise MAYFLY_LLM_MAX_OUTPUT_TOKENS (now 500)");
        }
        // The same cut turns where the budget's eighth is the limit name the budget.
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script)) {
            Map<String, String> small = params(server, Dialect.OPENAI, true);
            small.put("llm.context_tokens", "2400");
            assertThatThrownBy(() -> run(new RecordingTask(), small))
                    .hasMessageEndingWith("(300 tokens a turn): raise MAYFLY_LLM_CONTEXT_TOKENS (a turn may take an "
                            + "eighth of it, now 2400)");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anthropicInputReadFromOrWrittenToTheCacheIsCountedAndLimited(boolean stream) throws Exception {
        List<Turn> script = List.of(Turn.calls(new Call("read_file", Map.of("path", "App.java"))),
                Turn.calls(new Call("list_files", Map.of())), Turn.answer("Read it."));
        RecordingTask recorder = new RecordingTask();
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.ANTHROPIC, script).cached(0.9)) {
            Map<?, ?> result = run(recorder, params(server, Dialect.ANTHROPIC, stream));

            // Each call's input is all the server read, as it counted it: uncached, read from and written to its cache.
            List<RecordingTask.Event> calls = recorder.events("model_call");
            List<Seen> seen = server.seen();
            assertThat(calls).hasSize(3);
            long total = 0;
            for (int i = 0; i < calls.size(); i++) {
                Map<String, ?> data = calls.get(i).data();
                long serverTokens = seen.get(i).tokens();
                assertThat(((Number) data.get("inputTokens")).longValue()).isEqualTo(serverTokens);
                assertThat(((Number) data.get("cacheReadTokens")).longValue()).isEqualTo((long) (serverTokens * 0.9));
                assertThat(data.get("cacheWriteTokens")).isNotNull();
                total += serverTokens;
            }
            assertThat(((Number) result.get("inputTokens")).longValue()).isEqualTo(total);

            // And the token limit applies to all of it: the uncached tokens alone would stay under this one.
            Map<String, String> limited = params(server, Dialect.ANTHROPIC, stream);
            limited.put("llm.max_tokens", String.valueOf(total / 2));
            assertThatThrownBy(() -> run(new RecordingTask(), limited)).isInstanceOf(LimitReachedException.class)
                    .hasMessageContaining("cached input included");
        }
    }

    @ParameterizedTest
    @CsvSource({"503,Loading model", "429,Too many requests", "502,Bad gateway"})
    void whatCanPassOnARetryIsRetriedAndEveryRequestIsAnEvent(int status, String message) throws Exception {
        List<Turn> script = List.of(Turn.answer("Done."));
        RecordingTask recorder = new RecordingTask();
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script).failNext(2, status, message)) {
            Map<?, ?> result = run(recorder, params(server, Dialect.OPENAI, true));
            assertThat(result.get("answer")).isEqualTo("Done.");
            assertThat(server.seen()).hasSize(3);
        }
        assertThat(outcomes(recorder)).containsExactly("retried", "retried", "ok");
        assertThat(data(recorder.events("model_call").get(0))).containsEntry("error", "http_" + status)
                .containsEntry("message", "answered HTTP " + status + ": " + message).containsEntry("attempt", 1)
                .containsEntry("retryInMs", 50L);
        assertThat(data(recorder.events("model_call").get(1))).containsEntry("retryInMs", 100L);
    }

    @ParameterizedTest
    @CsvSource({"500,tools param requires --jinja flag", "400,Invalid chat template", "401,Invalid API key",
            "404,model 'scripted-model' not found"})
    void whatCannotChangeFailsAtOnceWithTheServersWords(int status, String message) throws Exception {
        List<Turn> script = List.of(Turn.answer("Done."));
        RecordingTask recorder = new RecordingTask();
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script).failNext(1, status, message)) {
            assertThatThrownBy(() -> run(recorder, params(server, Dialect.OPENAI, true)))
                    .isInstanceOf(ModelServerException.class)
                    .hasMessageStartingWith("the openai model server at " + server.baseUrl() + " answered HTTP " + status
                            + ": " + message + ", not retried (a retry would get the same answer): ")
                    .hasMessageEndingWith(status == 401 ? "check the API key in OPENAI_API_KEY"
                            : status == 404 ? "check the model's name (MAYFLY_LLM_MODEL=scripted-model) and that "
                                    + "MAYFLY_LLM_BASE_URL (or --param llm.base_url) is the server's API address"
                            : "the server's message says why; the task's log has each attempt");
            assertThat(server.seen()).hasSize(1);
        }
        assertThat(outcomes(recorder)).containsExactly("failed");
    }

    @Test
    void aServerThatDropsTheConnectionOrHangsIsNamedWithTheAttemptsAndTheSetting() throws Exception {
        List<Turn> script = List.of(Turn.answer("Done."));
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script).dropNext(3)) {
            assertThatThrownBy(() -> run(new RecordingTask(), params(server, Dialect.OPENAI, false)))
                    .hasMessageStartingWith("the openai model server at " + server.baseUrl() + " closed the connection "
                            + "before it answered (")
                    .hasMessageContaining("), 3 attempts over ")
                    .hasMessageEndingWith(": the server may have crashed or restarted; its own log says why");
            assertThat(server.seen()).hasSize(3);
        }
        for (boolean stream : new boolean[] {true, false}) {
            try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script).hangNext(2)) {
                Map<String, String> params = params(server, Dialect.OPENAI, stream);
                params.put("llm.request_timeout", "1s");
                params.put("llm.retries", "1");
                assertThatThrownBy(() -> run(new RecordingTask(), params))
                        .hasMessageStartingWith("the openai model server at " + server.baseUrl() + " did not answer within "
                                + "1 s (MAYFLY_LLM_REQUEST_TIMEOUT=1s), 2 attempts over ")
                        .hasMessageEndingWith(": raise MAYFLY_LLM_REQUEST_TIMEOUT for a slow model or a long answer, or "
                                + "check that the server is not stuck");
                assertThat(server.seen()).hasSize(2);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aStreamThatEndsBeforeItsEndIsAFailedRequestNotAnAnswer(Dialect dialect) throws Exception {
        List<Turn> script = List.of(Turn.answer("The whole answer, every word of it."));
        RecordingTask recorder = new RecordingTask();
        try (ScriptedModelServer server = ScriptedModelServer.start(dialect, script).cutStreamNext(1)) {
            Map<?, ?> result = run(recorder, params(server, dialect, true));

            assertThat(result.get("answer")).isEqualTo("The whole answer, every word of it.");
            assertThat(server.seen()).hasSize(2);
        }
        assertThat(outcomes(recorder)).containsExactly("retried", "ok");
        assertThat(data(recorder.events("model_call").get(0))).containsEntry("error", "dropped");
    }

    @Test
    void aTaskStoppedWhileAnAnswerStreamsEndsWithoutWaitingForTheServer() throws Exception {
        List<Turn> script = List.of(Turn.answer("The first words, and words that never come."));
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script)) {
            ScriptedModelServer.Hold midStream = server.holdStream(0);
            RunningTask task = new RecordingTask().task("Say something", params(server, Dialect.OPENAI, true), workspace(),
                    Files.createDirectories(dir.resolve("output")));
            CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return new LlmAgent(Clock.systemUTC(), Map.of(), Duration.ofMillis(50)).run(task);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, command -> new Thread(command).start());
            assertThat(midStream.awaitArrival(30)).isTrue();

            task.cancel();

            // The request timeout is five minutes; the stop is seen at once.
            assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CancellationException.class);
        }
    }

    /** A conversation that grows: each turn reads 40 more lines of a long file. */
    private List<Turn> growingScript(int turns) throws Exception {
        StringBuilder big = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            big.append(String.format("line %04d of a long file with some text on it%n", i));
        }
        Files.writeString(workspace().resolve("big.txt"), big);
        List<Turn> script = new ArrayList<>();
        for (int i = 0; i < turns; i++) {
            script.add(Turn.calls(new Call("read_file", Map.of("path", "big.txt", "offset", 1 + i * 40, "limit", 40))));
        }
        script.add(Turn.answer("Read it."));
        return script;
    }

    @ParameterizedTest
    @EnumSource(Advertised.class)
    void theBudgetIsKeptWithinTheContextTheServerTells(Advertised where) throws Exception {
        RecordingTask recorder = new RecordingTask();
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, growingScript(12))
                .contextSize(3000).advertise(where)) {
            Map<?, ?> result = run(recorder, params(server, Dialect.OPENAI, true));
            assertThat(result.get("steps")).isEqualTo(13);
            assertThat((Integer) result.get("compactions")).isPositive();
        }
        assertThat(recorder.events("context_budget")).singleElement().satisfies(event -> assertThat(data(event))
                .containsEntry("configured", 32_000).containsEntry("server", 3000).containsEntry("budget", 3000)
                .containsEntry("source", Map.of(Advertised.LLAMA_CPP, "llama.cpp GET /props", Advertised.VLLM,
                        "vLLM GET /v1/models", Advertised.OLLAMA, "Ollama POST /api/show (num_ctx)").get(where)));
        assertThat(recorder.events("context_shrunk")).isEmpty();
    }

    @Test
    void aServerThatRefusesTheWindowAsTooLargeGetsASmallerOneOnceWithAnEvent() throws Exception {
        RecordingTask recorder = new RecordingTask();
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, growingScript(12)).contextSize(3000)) {
            Map<?, ?> result = run(recorder, params(server, Dialect.OPENAI, true));
            assertThat(result.get("answer")).isEqualTo("Read it.");
        }
        assertThat(recorder.events("context_shrunk")).singleElement().satisfies(event -> assertThat(data(event))
                .containsEntry("from", 32_000L).containsEntry("to", 3000L).containsEntry("serverContext", 3000)
                .extractingByKey("serverMessage").asString().contains("exceeds the available context size"));
        assertThat(recorder.events("model_call")).filteredOn(event -> "failed".equals(event.data().get("outcome")))
                .singleElement().satisfies(event -> assertThat(data(event)).containsEntry("error", "http_400"));
    }

    @Test
    void theWindowsEstimateCountsTheToolsSentWithEveryRequest() throws Exception {
        RecordingTask recorder = new RecordingTask();
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, List.of(Turn.answer("Done.")))) {
            run(recorder, params(server, Dialect.OPENAI, true));
            long estimated = ((Number) recorder.events("model_call").get(0).data().get("contextTokens")).longValue();
            long toolsAlone = Json.write(server.seen().get(0).body().get("tools")).length() / 4;
            assertThat(estimated).isGreaterThanOrEqualTo(server.seen().get(0).tokens()).isGreaterThan(toolsAlone);
        }
    }

    @Test
    void theProjectsRulesAreKeptWholeInTheHead() throws Exception {
        Path rules = Files.createDirectories(workspace().resolve(".mayfly")).resolve("agent.md");
        Files.writeString(rules, "Never touch the tests folder.\nWrite British English.\n");
        RecordingTask recorder = new RecordingTask();
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.ANTHROPIC, List.of(Turn.answer("Done.")))) {
            run(recorder, params(server, Dialect.ANTHROPIC, true));
            assertThat(Json.write(server.seen().get(0).body().get("system")))
                    .contains("The project's rules for you, from .mayfly/agent.md:\\nNever touch the tests folder.");

            Map<String, String> missing = params(server, Dialect.ANTHROPIC, true);
            missing.put("llm.rules_file", "docs/rules.md");
            assertThatThrownBy(() -> run(new RecordingTask(), missing)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("MAYFLY_LLM_RULES_FILE: 'docs/rules.md' is not a file");
        }
        assertThat(recorder.segments.values()).filteredOn(segment -> segment.tier().equals(ContextSegment.HEAD))
                .hasSize(3).anySatisfy(segment -> assertThat(segment.content()).contains("Write British English."));
    }
}
