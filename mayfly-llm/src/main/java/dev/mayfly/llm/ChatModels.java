package dev.mayfly.llm;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The model client for the configured provider. */
final class ChatModels {

    /** Local servers take any key; LangChain4j wants one. */
    private static final String NO_KEY = "none";
    /** Mayfly retries ({@link ModelClient}); LangChain4j's own retries would repeat what cannot change. */
    private static final int NO_RETRIES = 0;

    private ChatModels() {}

    /** The client; it streams unless MAYFLY_LLM_STREAM=false. */
    static ModelClient create(LlmSettings settings, Duration firstRetryWait, BooleanSupplier stopped) {
        String key = settings.apiKey() == null ? NO_KEY : settings.apiKey();
        StreamEnds streamEnds = new StreamEnds();
        // The JDK's HTTP client is named rather than found by a service lookup, so it is the one used
        // however the agent's classes were loaded. The whole-answer and the streaming builders of a
        // provider take the same settings but share no type to give them once.
        if (settings.provider() == LlmSettings.Provider.ANTHROPIC) {
            String url = settings.baseUrl() == null ? null : withSlash(settings.baseUrl());
            ChatModel whole = AnthropicChatModel.builder().httpClientBuilder(JdkHttpClient.builder()).apiKey(key)
                    .baseUrl(url).modelName(settings.model()).maxTokens(settings.maxOutputTokens())
                    .timeout(settings.requestTimeout()).maxRetries(NO_RETRIES).build();
            StreamingChatModel streamed = !settings.stream() ? null : AnthropicStreamingChatModel.builder()
                    .httpClientBuilder(streamEnds).apiKey(key).baseUrl(url).modelName(settings.model())
                    .maxTokens(settings.maxOutputTokens()).timeout(settings.requestTimeout()).build();
            return new ModelClient(settings, whole, streamed, streamEnds, firstRetryWait, stopped);
        }
        ChatModel whole = OpenAiChatModel.builder().httpClientBuilder(JdkHttpClient.builder()).apiKey(key)
                .baseUrl(settings.baseUrl()).modelName(settings.model()).maxTokens(settings.maxOutputTokens())
                .timeout(settings.requestTimeout()).maxRetries(NO_RETRIES).build();
        StreamingChatModel streamed = !settings.stream() ? null : OpenAiStreamingChatModel.builder()
                .httpClientBuilder(streamEnds).apiKey(key).baseUrl(settings.baseUrl())
                .modelName(settings.model()).maxTokens(settings.maxOutputTokens()).timeout(settings.requestTimeout()).build();
        return new ModelClient(settings, whole, streamed, streamEnds, firstRetryWait, stopped);
    }

    /** Anthropic's client appends "messages" to its base URL as a relative path. */
    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }
}
