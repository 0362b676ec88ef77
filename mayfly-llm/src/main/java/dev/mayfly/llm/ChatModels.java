package dev.mayfly.llm;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;

/** The model client for the configured provider. */
final class ChatModels {

    /** Local servers take any key; LangChain4j wants one. */
    private static final String NO_KEY = "none";
    private static final int RETRIES = 2;

    private ChatModels() {}

    /** The client, which names the server's address when it cannot be reached. */
    static ChatModel create(LlmSettings settings) {
        String address = settings.baseUrl() != null ? settings.baseUrl()
                : settings.provider() == LlmSettings.Provider.ANTHROPIC ? "Anthropic's API" : "OpenAI's API";
        String setting = settings.baseUrl() != null ? "MAYFLY_LLM_BASE_URL (or --param llm.base_url)"
                : "the network (or MAYFLY_LLM_BASE_URL, for another server)";
        return new ReachableModel(client(settings), address, setting);
    }

    private static ChatModel client(LlmSettings settings) {
        String key = settings.apiKey() == null ? NO_KEY : settings.apiKey();
        switch (settings.provider()) {
            case ANTHROPIC: {
                AnthropicChatModel.AnthropicChatModelBuilder builder = AnthropicChatModel.builder()
                        // The JDK's client, named here rather than found by a service lookup, so it is the
                        // one used however the agent's classes were loaded.
                        .httpClientBuilder(JdkHttpClient.builder())
                        .apiKey(key)
                        .modelName(settings.model())
                        .maxTokens(settings.maxOutputTokens())
                        .timeout(settings.requestTimeout())
                        .maxRetries(RETRIES);
                if (settings.baseUrl() != null) {
                    builder.baseUrl(withSlash(settings.baseUrl()));
                }
                return builder.build();
            }
            default: {
                OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
                        .httpClientBuilder(JdkHttpClient.builder())
                        .apiKey(key)
                        .modelName(settings.model())
                        .maxTokens(settings.maxOutputTokens())
                        .timeout(settings.requestTimeout())
                        .maxRetries(RETRIES);
                if (settings.baseUrl() != null) {
                    builder.baseUrl(settings.baseUrl());
                }
                return builder.build();
            }
        }
    }

    /** Anthropic's client appends "messages" to its base URL as a relative path. */
    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }
}
