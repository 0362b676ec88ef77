package dev.mayfly.llm;

import dev.mayfly.api.Agent;
import dev.mayfly.api.AgentEvent;
import dev.mayfly.api.AgentProvider;
import java.util.List;
import java.util.Map;

/**
 * Names the {@link LlmAgent} {@code llm}: checks its settings before a task is stored, lists the
 * jars it needs, and adds up its model calls for {@code mayfly status ID}.
 */
public final class LlmAgentProvider implements AgentProvider {

    public static final String NAME = "llm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "the built-in LLM tool loop";
    }

    @Override
    public Agent create() {
        return new LlmAgent();
    }

    /**
     * One class of each jar the agent loads: LangChain4j's core, HTTP client and two providers, the
     * annotations its classes name, the token counter, SLF4J, which LangChain4j logs through, and
     * Jackson (every worker has it; listed so that the agent says all it needs).
     * Class literals, so that a library upgrade that moves one fails the build, not a task.
     */
    @Override
    public List<Class<?>> classpath() {
        return List.of(LlmAgent.class, dev.langchain4j.model.chat.ChatModel.class,
                org.jspecify.annotations.Nullable.class, dev.langchain4j.http.client.HttpClient.class,
                dev.langchain4j.http.client.jdk.JdkHttpClient.class, dev.langchain4j.model.openai.OpenAiChatModel.class,
                dev.langchain4j.model.anthropic.AnthropicChatModel.class, com.knuddels.jtokkit.Encodings.class,
                org.slf4j.LoggerFactory.class, org.slf4j.nop.NOPServiceProvider.class,
                com.fasterxml.jackson.databind.ObjectMapper.class, com.fasterxml.jackson.core.JsonFactory.class,
                com.fasterxml.jackson.annotation.JsonProperty.class);
    }

    /** The model, provider and limits ({@code --param llm.NAME} or {@code MAYFLY_LLM_NAME}). */
    @Override
    public void checkSettings(Map<String, String> environment, Map<String, String> params) {
        LlmSettings.read(environment, params);
    }

    @Override
    public Map<String, String> status(List<AgentEvent> events) {
        String use = ModelUse.of(events);
        return use == null ? Map.of() : Map.of("model", use);
    }
}
