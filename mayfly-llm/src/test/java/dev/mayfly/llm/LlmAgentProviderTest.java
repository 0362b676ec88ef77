package dev.mayfly.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.api.AgentEvent;
import dev.mayfly.api.AgentProvider;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The llm agent as a plug-in: found by its name, its settings checked, its events added up for status. */
class LlmAgentProviderTest {

    @Test
    void the_module_registers_its_provider_for_the_service_loader() {
        List<String> names = ServiceLoader.load(AgentProvider.class).stream().map(p -> p.get().name()).toList();

        assertThat(names).contains("llm");
    }

    @Test
    void a_bad_setting_is_refused_naming_it() {
        Map<String, String> environment = Map.of("MAYFLY_LLM_MODEL", "m", "MAYFLY_LLM_BASE_URL", "http://localhost:1",
                "MAYFLY_LLM_MAX_STEPS", "many");

        assertThatThrownBy(() -> new LlmAgentProvider().checkSettings(environment, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAYFLY_LLM_MAX_STEPS")
                .hasMessageContaining("many");
    }

    @Test
    void failed_and_cut_requests_are_counted_and_cached_input_is_shown_apart() {
        List<AgentEvent> events = List.of(
                new AgentEvent("model_call", Map.of("step", 1, "outcome", "retried", "error", "http_503")),
                new AgentEvent("model_call", Map.of("step", 1, "outcome", "cut", "inputTokens", 1000,
                        "cacheReadTokens", 900, "outputTokens", 64)),
                new AgentEvent("model_call", Map.of("step", 2, "outcome", "ok", "inputTokens", 1100,
                        "cacheReadTokens", 1000, "outputTokens", 20)));

        assertThat(new LlmAgentProvider().status(events)).containsExactly(Map.entry("model",
                "3 model calls (1 failed, 1 cut off), 2100 input (1900 read from the cache) + 84 output tokens; 0 tool calls"));
    }

    @Test
    void a_task_that_called_no_model_has_nothing_to_say() {
        assertThat(new LlmAgentProvider().status(List.of(new AgentEvent("progress", Map.of())))).isEmpty();
    }
}
