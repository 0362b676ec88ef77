package dev.mayfly.llm;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;

/** The model client for the configured provider. */
final class ChatModels {

    /** Local servers take any key; LangChain4j wants one. */
    private static final String NO_KEY = "none";
    /** Mayfly retries ({@link ModelClient}); LangChain4j's own retries would repeat what cannot change. */
    private static final int NO_RETRIES = 0;

    private ChatModels() {}

    /** The client; it streams unless MAYFLY_LLM_STREAM=false. */
    static ModelClient create(LlmSettings settings, Duration firstRetryWait) {
        return new ModelClient(settings, chatModel(settings), settings.stream() ? streamingModel(settings) : null,
                firstRetryWait);
    }

    /** The whole-answer client, also used for summaries. */
    static ChatModel chatModel(LlmSettings settings) {
        String key = settings.apiKey() == null ? NO_KEY : settings.apiKey();
        if (settings.provider() == LlmSettings.Provider.ANTHROPIC) {
            AnthropicChatModel.AnthropicChatModelBuilder builder = AnthropicChatModel.builder()
                    // The JDK's client, named here rather than found by a service lookup, so it is the
                    // one used however the agent's classes were loaded.
                    .httpClientBuilder(JdkHttpClient.builder())
                    .apiKey(key)
                    .modelName(settings.model())
                    .maxTokens(settings.maxOutputTokens())
                    .timeout(settings.requestTimeout())
                    .maxRetries(NO_RETRIES);
            if (settings.baseUrl() != null) {
                builder.baseUrl(withSlash(settings.baseUrl()));
            }
            return builder.build();
        }
        OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder()
                .httpClientBuilder(JdkHttpClient.builder())
                .apiKey(key)
                .modelName(settings.model())
                .maxTokens(settings.maxOutputTokens())
                .timeout(settings.requestTimeout())
                .maxRetries(NO_RETRIES);
        if (settings.baseUrl() != null) {
            builder.baseUrl(settings.baseUrl());
        }
        return builder.build();
    }

    private static StreamingChatModel streamingModel(LlmSettings settings) {
        String key = settings.apiKey() == null ? NO_KEY : settings.apiKey();
        if (settings.provider() == LlmSettings.Provider.ANTHROPIC) {
            AnthropicStreamingChatModel.AnthropicStreamingChatModelBuilder builder = AnthropicStreamingChatModel.builder()
                    .httpClientBuilder(JdkHttpClient.builder())
                    .apiKey(key)
                    .modelName(settings.model())
                    .maxTokens(settings.maxOutputTokens())
                    .timeout(settings.requestTimeout());
            if (settings.baseUrl() != null) {
                builder.baseUrl(withSlash(settings.baseUrl()));
            }
            return builder.build();
        }
        OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder builder = OpenAiStreamingChatModel.builder()
                .httpClientBuilder(JdkHttpClient.builder())
                .apiKey(key)
                .modelName(settings.model())
                .maxTokens(settings.maxOutputTokens())
                .timeout(settings.requestTimeout());
        if (settings.baseUrl() != null) {
            builder.baseUrl(settings.baseUrl());
        }
        return builder.build();
    }

    /** Anthropic's client appends "messages" to its base URL as a relative path. */
    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }
}
