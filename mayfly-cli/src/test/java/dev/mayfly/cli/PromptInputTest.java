package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.json.Json;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A prompt of any size reaches a command whole: on standard input always, in MAYFLY_PROMPT when it
 * is small, else in the file MAYFLY_PROMPT_FILE names. Prompts come from --prompt, --prompt - and
 * --prompt-file (promptFile in a batch line), and must be UTF-8 and not blank.
 */
class PromptInputTest {

    /** Compares what came on standard input with the prompt file, and says how long MAYFLY_PROMPT is. */
    private static final String REPORT = "if [ -n \"$MAYFLY_PROMPT_FILE\" ]; then cmp - \"$MAYFLY_PROMPT_FILE\" && "
            + "echo \"same as the file, $(wc -c < \"$MAYFLY_PROMPT_FILE\") bytes\"; else wc -c; fi; "
            + "echo \"MAYFLY_PROMPT has ${#MAYFLY_PROMPT} characters\"";

    @TempDir
    Path workDir;

    @ParameterizedTest(name = "workers: {0}")
    @ValueSource(booleans = {false, true})
    void a_five_megabyte_prompt_file_reaches_the_command_on_its_input_and_in_a_file(boolean workers) throws Exception {
        byte[] prompt = largePrompt(5 * 1024 * 1024);
        Files.write(workDir.resolve("prompt.md"), prompt);

        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of(), "run", "--json",
                workers ? "--workers" : "--no-workers", "--complexity", "high", "--heap-mb", "64",
                "--prompt-file", "prompt.md", "--", "sh", "-c", REPORT);

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.OK);
        Map<String, Object> json = Json.readObject(result.stdout().trim());
        assertThat(((Map<?, ?>) json.get("result")).get("output"))
                .isEqualTo("same as the file, " + prompt.length + " bytes\nMAYFLY_PROMPT has 0 characters\n");
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
            assertThat(store.findTask(json.get("taskId").toString()).orElseThrow().prompt())
                    .isEqualTo(new String(prompt, StandardCharsets.UTF_8));
        }
        assertThat(workDir.resolve(".mayfly/runs/" + json.get("taskId") + "/prompt.txt")).hasBinaryContent(prompt);
        MayflyProcess.Result detail = MayflyProcess.run(workDir, Map.of(), "status", json.get("taskId").toString());
        assertThat(detail.stdout()).contains("characters in all; --json shows it whole").hasSizeLessThan(20_000);
    }

    @Test
    void a_prompt_on_standard_input_is_read_whole_and_a_small_one_is_in_the_environment_too() throws Exception {
        String prompt = "Résumé the repo — naïvely, in two lines.\nSecond line.";

        MayflyProcess.Result result = MayflyProcess.runWithInput(workDir, Map.of(),
                prompt.getBytes(StandardCharsets.UTF_8), "run", "--json", "--no-workers", "--prompt", "-",
                "--", "sh", "-c", "printf '%s|' \"$MAYFLY_PROMPT\"; cat");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.OK);
        Map<String, Object> json = Json.readObject(result.stdout().trim());
        assertThat(((Map<?, ?>) json.get("result")).get("output")).isEqualTo(prompt + "|" + prompt);
    }

    @Test
    void a_prompt_past_the_environment_limit_is_not_in_the_environment() throws Exception {
        // 200 KB: over Linux's 128 KB limit for one environment string, which failed the start with E2BIG.
        byte[] prompt = largePrompt(200 * 1024);

        MayflyProcess.Result result = MayflyProcess.runWithInput(workDir, Map.of("MAYFLY_PROMPT", "stale"), prompt,
                "run", "--json", "--no-workers", "--prompt", "-", "--", "sh", "-c", REPORT);

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(((Map<?, ?>) Json.readObject(result.stdout().trim()).get("result")).get("output"))
                .isEqualTo("same as the file, " + prompt.length + " bytes\nMAYFLY_PROMPT has 0 characters\n");
    }

    @Test
    void a_prompt_file_that_is_not_utf8_is_refused_naming_the_byte() throws Exception {
        Files.write(workDir.resolve("latin1.txt"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));

        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of(), "run", "--agent=probe",
                "--prompt-file", "latin1.txt");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.stderr()).startsWith(
                "mayfly: --prompt-file latin1.txt is not UTF-8 text: byte 0xE9 at position 4; save it as UTF-8");
        assertThat(workDir.resolve(".mayfly")).doesNotExist();
    }

    @Test
    void batch_lines_take_prompt_files_beside_the_batch_and_name_what_is_wrong_with_a_line() throws Exception {
        Path folder = Files.createDirectories(workDir.resolve("jobs"));
        Files.writeString(folder.resolve("first.md"), "Summarise the changelog");
        byte[] notUtf8 = "{\"prompt\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        Path batch = folder.resolve("tasks.jsonl");
        Files.write(batch, String.join("\n", List.of(
                "{\"promptFile\":\"first.md\",\"agent\":\"command:cat\"}",
                "{\"prompt\":42,\"agent\":\"command:cat\"}",
                "PLACEHOLDER",
                "{\"promptFile\":\"missing.md\",\"agent\":\"command:cat\"}",
                "{\"prompt\":\"  \",\"agent\":\"command:cat\"}",
                "{\"prompt\":\"Second\",\"agent\":\"command:cat\"}")).replace("PLACEHOLDER", new String(notUtf8,
                        StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1));

        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of(), "batch", "--no-workers", "--json",
                "jobs/tasks.jsonl");

        // Lines left out make the batch fail; the good ones still ran.
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.stderr()).contains(
                "line 2: invalid prompt '42': expected a string, in double quotes",
                "line 3: the line is not UTF-8 text: byte 0xE9 at position 15; save it as UTF-8",
                "line 4: cannot read promptFile " + folder.resolve("missing.md") + ": no such file",
                "line 5: 'prompt' is empty");
        List<String> outputs = result.stdout().lines().map(PromptInputTest::output).filter(o -> o != null).toList();
        assertThat(outputs).containsExactlyInAnyOrder("Summarise the changelog", "Second");
    }

    private static String output(String line) {
        try {
            Object result = Json.readObject(line).get("result");
            return result instanceof Map ? (String) ((Map<?, ?>) result).get("output") : null;
        } catch (java.io.IOException e) {
            throw new AssertionError(line, e);
        }
    }

    /** Lines of text, multi-byte characters among them, {@code size} bytes in all. */
    private static byte[] largePrompt(int size) {
        byte[] line = "Refactor the module — keep the API (ü, 中文) and the tests green.\n".getBytes(StandardCharsets.UTF_8);
        byte[] prompt = new byte[size];
        for (int i = 0; i < size; i++) {
            prompt[i] = i >= size - size % line.length ? (byte) 'x' : line[i % line.length];
        }
        return prompt;
    }
}
