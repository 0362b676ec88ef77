package dev.mayfly.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.batch.BatchFile;
import dev.mayfly.errors.UsageException;
import dev.mayfly.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The presets turn the agent's own command line (its flags kept) into the one that continues its session. */
class ResumeWithTest {

    private static AgentSpec resumed(String preset, String... agent) {
        return ResumeWith.apply("--resume-with", preset, AgentSpec.command(List.of(agent)), "Go on");
    }

    @Test
    void claude_code_continues_the_folder_s_latest_session_with_its_own_flags() {
        AgentSpec spec = resumed("claude-code", "claude", "-p", "--model", "sonnet", "--dangerously-skip-permissions");
        assertThat(spec.resume().commandLine())
                .containsExactly("claude", "-p", "--model", "sonnet", "--dangerously-skip-permissions", "--continue");
        assertThat(spec.resume().prompt()).isEqualTo("Go on");
        // Given already (long or short), the flag is not doubled; a full path to the program is fine.
        assertThat(resumed("claude-code", "/opt/bin/claude", "-p", "-c").resume().commandLine())
                .containsExactly("/opt/bin/claude", "-p", "-c");
    }

    @Test
    void codex_resumes_its_last_exec_session_and_aider_restores_its_chat_history() {
        assertThat(resumed("codex", "codex", "exec", "--full-auto", "-m", "gpt-5").resume().commandLine())
                .containsExactly("codex", "exec", "--full-auto", "-m", "gpt-5", "resume", "--last");
        assertThat(resumed("aider", "aider", "--yes-always", "--model", "sonnet").resume().commandLine())
                .containsExactly("aider", "--yes-always", "--model", "sonnet", "--restore-chat-history");
        assertThatThrownBy(() -> resumed("codex", "codex", "--full-auto"))
                .isInstanceOf(UsageException.class).hasMessageContaining("the codex preset resumes 'codex exec …'");
    }

    @Test
    void any_other_value_is_the_command_line_that_continues_the_session() {
        assertThat(resumed("node agent.js --continue 'two words'", "node", "agent.js").resume().commandLine())
                .containsExactly("node", "agent.js", "--continue", "two words");
    }

    @Test
    void a_preset_for_another_program_or_a_java_agent_is_refused() {
        assertThatThrownBy(() -> resumed("aider", "claude", "-p")).isInstanceOf(UsageException.class)
                .hasMessage("invalid --resume-with 'aider': expected a preset for the agent's own program ('claude' is not "
                        + "aider), or the command line that continues its session");
        assertThatThrownBy(() -> ResumeWith.apply("resume", "claude-code", AgentSpec.java("a.B", List.of()), "Go on"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("resume applies to command agents");
    }

    @Test
    void mayfly_resume_with_goes_with_mayfly_agent_and_a_batch_line_says_its_own(@TempDir Path folder) throws Exception {
        Settings settings = new SettingsReader(Map.of("MAYFLY_AGENT", "command:sh -c true", "MAYFLY_RESUME_WITH",
                "sh -c 'echo again'", "MAYFLY_HOME", folder.resolve("home").toString()), folder)
                .read(SettingsReader.Flags.none());
        AgentSpec fromDefault = AgentChooser.choose("--agent", null, List.of(), "Go", settings).spec();
        assertThat(fromDefault.resume().commandLine()).containsExactly("sh", "-c", "echo again");
        assertThat(fromDefault.resume().prompt()).isEqualTo(ResumeWith.DEFAULT_PROMPT);
        // An agent named for the task is not MAYFLY_AGENT's: it resumes only as it says.
        assertThat(AgentChooser.choose("--agent", null, List.of("sh", "-c", "true"), "Go", settings).spec().resume())
                .isNull();

        Path batch = Files.write(folder.resolve("tasks.jsonl"), List.of(
                "{\"prompt\": \"Go\", \"agent\": \"command:sh -c true\", \"resume\": \"sh -c 'echo line'\"}"));
        BatchFile.Plan plan = BatchFile.read(batch, settings, folder, false);
        assertThat(plan.problems()).isEmpty();
        assertThat(plan.entries().get(0).request().agent().resume().commandLine())
                .containsExactly("sh", "-c", "echo line");
    }

    @Test
    void a_later_attempt_runs_the_resume_command_which_can_resume_again_and_the_spec_travels_whole() throws Exception {
        AgentSpec spec = resumed("claude-code", "claude", "-p");
        AgentSpec continued = spec.continued();
        assertThat(continued.commandLine()).containsExactly("claude", "-p", "--continue");
        assertThat(continued.continued()).isEqualTo(continued);
        assertThat(AgentSpec.fromMap(Json.readObject(Json.write(spec.toMap())))).isEqualTo(spec);
        AgentSpec plain = AgentSpec.command(List.of("true"));
        assertThat(plain.continued()).isSameAs(plain);
    }
}
