package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.llm.testing.ScriptedModelServer.Advertised;
import dev.mayfly.llm.testing.ScriptedModelServer.Call;
import dev.mayfly.llm.testing.ScriptedModelServer.Dialect;
import dev.mayfly.llm.testing.ScriptedModelServer.Turn;
import dev.mayfly.llm.testing.ScriptedModelServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/llm-check}, the check a user runs against their own model server, run here against a
 * local server that plays the model's part as a model that follows the check's prompt would.
 */
class LlmCheckScriptTest {

    @TempDir
    Path dir;

    private Result check(ScriptedModelServer server) throws Exception {
        // The script runs `mayfly` as $MAYFLY: here, this build's classes.
        Path mayfly = dir.resolve("mayfly");
        Files.writeString(mayfly, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + System.getProperty("java.class.path") + "' " + Main.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(mayfly, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path script = Path.of("..", "scripts", "llm-check").toAbsolutePath().normalize();
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "--base-url", server.baseUrl(),
                "--model", "scripted-model").redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.equals("USE_WORKERS") || key.startsWith("MAYFLY_"));
        builder.environment().put("MAYFLY", mayfly.toString());
        builder.environment().put("TMPDIR", dir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {}

    @Test
    void aServerThatDoesTheWorkPassesAndItsContextAndTokensAreShown() throws Exception {
        List<Turn> script = List.of(
                Turn.calls(new Call("edit_file", Map.of("path", "greeting.txt", "old_text", "Hello", "new_text", "Goodbye"))),
                Turn.calls(new Call("run_command", Map.of("command", List.of("cat", "greeting.txt")))),
                Turn.answer("DONE"));
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script).contextSize(8000)
                .advertise(Advertised.LLAMA_CPP)) {
            Result result = check(server);

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("1. tool loop\n   PASS: the file was edited and the task completed")
                    .contains("2. cut turns\n   PASS: completed within 64 output tokens a turn")
                    .contains("the server told its context: \"server\":8000,\"source\":\"llama.cpp GET /props\"")
                    .contains("model: 3 model calls");
        }
        assertThat(Files.list(dir).filter(path -> path.getFileName().toString().startsWith("mayfly-llm-check")))
                .as("the workspace is removed").isEmpty();
    }

    @Test
    void aServerThatRefusesTheToolsFailsWithItsOwnWords() throws Exception {
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, List.of(Turn.answer("DONE")))
                .failNext(2, 500, "tools param requires --jinja flag")) {
            Result result = check(server);

            assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
            assertThat(result.output()).contains("1. tool loop\n   FAIL: status 'failed', error: ")
                    .contains("answered HTTP 500: tools param requires --jinja flag, not retried")
                    .contains("2. cut turns\n   FAIL: status 'failed'")
                    .contains("the server did not tell its context size");
        }
    }
}
