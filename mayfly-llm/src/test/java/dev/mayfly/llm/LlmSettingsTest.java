package dev.mayfly.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmSettingsTest {

    @Test
    void defaultsNeedOnlyAModelAndAKeyOrALocalServer() {
        LlmSettings hosted = LlmSettings.read(Map.of("MAYFLY_LLM_MODEL", "gpt-4o-mini", "OPENAI_API_KEY", "sk-test"), Map.of());
        assertThat(hosted.provider()).isEqualTo(LlmSettings.Provider.OPENAI);
        assertThat(hosted.apiKey()).isEqualTo("sk-test");
        assertThat(hosted.baseUrl()).isNull();
        assertThat(hosted.maxSteps()).isEqualTo(200);
        assertThat(hosted.contextTokens()).isEqualTo(32_000);
        assertThat(hosted.maxTime()).isEqualTo(Duration.ofHours(2));
        assertThat(hosted.retries()).isEqualTo(2);
        assertThat(hosted.stream()).isTrue();
        assertThat(hosted.rulesFile()).isNull();
        assertThat(hosted.toString()).doesNotContain("sk-test").contains("apiKey from OPENAI_API_KEY");

        LlmSettings local = LlmSettings.read(Map.of("MAYFLY_LLM_BASE_URL", "http://localhost:11434/v1",
                "MAYFLY_LLM_MODEL", "llama3.1"), Map.of());
        assertThat(local.apiKey()).isNull();

        LlmSettings anthropic = LlmSettings.read(Map.of("MAYFLY_LLM_PROVIDER", "Anthropic", "ANTHROPIC_API_KEY", "k",
                "OPENAI_API_KEY", "other", "MAYFLY_LLM_MODEL", "claude-sonnet-4-5"), Map.of());
        assertThat(anthropic.provider()).isEqualTo(LlmSettings.Provider.ANTHROPIC);
        assertThat(anthropic.apiKey()).isEqualTo("k");
    }

    @Test
    void taskParametersOverrideTheEnvironment() {
        LlmSettings settings = LlmSettings.read(Map.of("MAYFLY_LLM_MODEL", "a", "MAYFLY_LLM_MAX_STEPS", "5",
                "OPENAI_API_KEY", "k"), Map.of("llm.model", "b", "llm.max_time", "30m", "llm.context_tokens", "8_000"));
        assertThat(settings.model()).isEqualTo("b");
        assertThat(settings.maxSteps()).isEqualTo(5);
        assertThat(settings.maxTime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.contextTokens()).isEqualTo(8000);
    }

    @Test
    void badSettingsAreNamedWithWhatIsAccepted() {
        Map<String, String> base = Map.of("MAYFLY_LLM_MODEL", "m", "OPENAI_API_KEY", "k");
        assertThatThrownBy(() -> LlmSettings.read(Map.of("OPENAI_API_KEY", "k"), Map.of()))
                .hasMessageStartingWith("the llm agent needs a model: set MAYFLY_LLM_MODEL or --param llm.model=");
        assertThatThrownBy(() -> LlmSettings.read(Map.of("MAYFLY_LLM_MODEL", "m"), Map.of()))
                .hasMessageContaining("no API key for the hosted openai service: set OPENAI_API_KEY or MAYFLY_LLM_API_KEY");
        assertThatThrownBy(() -> LlmSettings.read(base, Map.of("llm.provider", "gemini")))
                .hasMessage("--param llm.provider: 'gemini' is not accepted; use openai (any OpenAI-compatible server) "
                        + "or anthropic");
        assertThatThrownBy(() -> LlmSettings.read(Map.of("MAYFLY_LLM_MODEL", "m", "MAYFLY_LLM_BASE_URL", "localhost:8080"),
                Map.of())).hasMessage("MAYFLY_LLM_BASE_URL: 'localhost:8080' is not accepted; use an http:// or https:// "
                        + "URL, such as http://localhost:11434/v1");
        assertThatThrownBy(() -> LlmSettings.read(base, Map.of("llm.max_steps", "0")))
                .hasMessage("--param llm.max_steps: '0' is not accepted; use a whole number from 1 to 1000000");
        assertThatThrownBy(() -> LlmSettings.read(base, Map.of("llm.context_tokens", "1000")))
                .hasMessage("--param llm.context_tokens: '1000' is not accepted; use a whole number from 2000 to 10000000");
        assertThatThrownBy(() -> LlmSettings.read(base, Map.of("llm.max_time", "soon")))
                .hasMessageStartingWith("--param llm.max_time: 'soon' is not accepted; use a duration such as 500ms");
        assertThatThrownBy(() -> LlmSettings.read(Map.of("MAYFLY_LLM_MODEL", "m", "OPENAI_API_KEY", "k",
                "MAYFLY_LLM_STREAM", "maybe"), Map.of()))
                .hasMessage("MAYFLY_LLM_STREAM: 'maybe' is not accepted; use true or false");
        assertThatThrownBy(() -> LlmSettings.read(base, Map.of("llm.retries", "11")))
                .hasMessage("--param llm.retries: '11' is not accepted; use a whole number from 0 to 10");
        assertThat(LlmSettings.read(base, Map.of("llm.stream", "no", "llm.retries", "0")))
                .satisfies(settings -> assertThat(settings.stream()).isFalse())
                .satisfies(settings -> assertThat(settings.retries()).isZero());
    }
}
