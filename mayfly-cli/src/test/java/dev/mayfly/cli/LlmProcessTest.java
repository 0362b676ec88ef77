package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.json.Json;
import dev.mayfly.llm.testing.ScriptedModelServer.Call;
import dev.mayfly.llm.testing.ScriptedModelServer.Dialect;
import dev.mayfly.llm.testing.ScriptedModelServer.Turn;
import dev.mayfly.llm.testing.ScriptedModelServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mayfly run --agent llm` as a user runs it, against a local Anthropic-protocol server, then `mayfly status`. */
class LlmProcessTest {

    @TempDir
    Path workDir;

    @Test
    void the_llm_agent_changes_a_file_in_a_worker_and_status_shows_its_model_use_and_context() throws Exception {
        Files.writeString(workDir.resolve("App.java"), "class App {\n    String greeting = \"Hello\";\n}\n");
        List<Turn> script = List.of(
                Turn.calls(new Call("read_file", Map.of("path", "App.java")), new Call("read_file", Map.of("path", "../x"))),
                Turn.calls(new Call("edit_file", Map.of("path", "App.java", "old_text", "Hello", "new_text", "Goodbye"))),
                Turn.answer("The greeting says Goodbye now."));
        // The server is still loading its model for the first request (503), which is retried; most input is cached.
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.ANTHROPIC, script).cached(0.8)
                .failNext(1, 503, "Loading model")) {
            MayflyProcess.Result run = MayflyProcess.run(workDir, Map.of("MAYFLY_LLM_PROVIDER", "anthropic",
                    "MAYFLY_LLM_BASE_URL", server.baseUrl(), "MAYFLY_HEAP_MB", "128"),
                    "run", "--workers", "--json", "--agent", "llm", "--param", "llm.model=scripted-claude",
                    "--prompt", "Refactor the greeting to say Goodbye");

            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.OK);
            Map<String, Object> json = Json.readObject(run.stdout().trim());
            assertThat(json).containsEntry("mode", "worker").containsEntry("status", "completed");
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) json.get("result");
            assertThat(result).containsEntry("answer", "The greeting says Goodbye now.").containsEntry("provider", "anthropic")
                    .containsEntry("model", "scripted-claude").containsEntry("steps", 3L).containsEntry("toolCalls", 3L);
            assertThat(Files.readString(workDir.resolve("App.java"))).contains("Goodbye");

            MayflyProcess.Result status = MayflyProcess.run(workDir, Map.of(), "status", json.get("taskId").toString());
            assertThat(status.exitCode()).as(status.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(status.stdout()).contains("model:", "4 model calls (1 failed)", "read from the cache",
                            "3 tool calls (1 refused or failed)")
                    .contains("context:", "8 segments in the store (2 head, 6 recent)")
                    .contains("model_call", "tool_call", "is outside the workspace")
                    .as("arguments on one line").contains("\"arguments\":\"{\\\"path\\\":\\\"App.java\\\"}\"");

            // The task's log tells the story as it happened: the failed request, the model's words, each tool call.
            MayflyProcess.Result logs = MayflyProcess.run(workDir, Map.of(), "logs", json.get("taskId").toString());
            assertThat(logs.exitCode()).as(logs.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(logs.stdout()).contains("[llm] step 1: turn request 1 to " + server.baseUrl()
                            + " answered HTTP 503: Loading model; trying again in 1.0 s")
                    .containsPattern("\\[llm\\] step 2: edit_file \\{.*\"path\":\"App.java\".*\\} -> ok")
                    .contains("[llm] step 3: model says: The greeting says Goodbye now.");
        }
    }
}
