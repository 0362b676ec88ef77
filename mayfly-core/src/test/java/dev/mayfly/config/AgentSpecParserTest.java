package dev.mayfly.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.errors.UsageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentSpecParserTest {

    @Test
    void java_agents_name_a_class_and_take_the_classpath() {
        AgentSpec spec = AgentSpecParser.parse("--agent", "java:com.example.MyAgent", List.of(Path.of("/a.jar")));
        assertThat(spec.kind()).isEqualTo(AgentSpec.Kind.JAVA);
        assertThat(spec.target()).isEqualTo("com.example.MyAgent");
        assertThat(spec.classpath()).containsExactly(Path.of("/a.jar"));
    }

    @Test
    void command_agents_split_words_like_a_shell_without_running_one() {
        AgentSpec spec = AgentSpecParser.parse("MAYFLY_AGENT",
                "command:claude -p --append-system-prompt 'be brief; no $HOME' \"two words\" a\\ b", List.of());
        assertThat(spec.commandLine())
                .containsExactly("claude", "-p", "--append-system-prompt", "be brief; no $HOME", "two words", "a b");
    }

    @Test
    void an_unclosed_quote_is_a_usage_error() {
        assertThatThrownBy(() -> AgentSpecParser.parse("MAYFLY_AGENT", "command:claude 'oops", List.of()))
                .isInstanceOf(UsageException.class)
                .hasMessage("invalid MAYFLY_AGENT 'command:claude 'oops': expected a command line with its quotes closed");
    }

    @Test
    void an_unknown_agent_lists_what_is_accepted() {
        assertThatThrownBy(() -> AgentSpecParser.parse("--agent", "gpt", List.of()))
                .isInstanceOf(UsageException.class)
                .hasMessage("invalid --agent 'gpt': expected " + AgentSpecParser.accepted(AgentProviders.builtIn()));
    }

    @Test
    void a_builtin_is_named_alone() {
        assertThat(AgentSpecParser.parse("--agent", "probe", List.of()).describe()).isEqualTo("probe");
    }
}
