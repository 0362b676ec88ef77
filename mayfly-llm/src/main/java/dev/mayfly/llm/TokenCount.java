package dev.mayfly.llm;

import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import java.util.Map;

/**
 * The tokens one model call used, as the provider counted them.
 *
 * <p>Anthropic reports the input in three parts: {@code input_tokens} (not cached),
 * {@code cache_read_input_tokens} and {@code cache_creation_input_tokens}. All three are input the
 * model read, and a server with a prompt cache (llama.cpp's Anthropic endpoint, Anthropic's API)
 * puts most of a long conversation in the first of the cached ones; so {@link #input()} is their
 * sum, and the limits apply to it. OpenAI's {@code prompt_tokens} already holds its cached tokens,
 * which are shown apart only for information.
 *
 * @param input every input token, cached or not
 * @param cacheRead the input read from the provider's prompt cache (part of {@code input})
 * @param cacheWrite the input written to the prompt cache (Anthropic; part of {@code input})
 */
record TokenCount(long input, long cacheRead, long cacheWrite, long output) {

    /** What the response reports; zeros where the provider reported nothing (some local servers). */
    static TokenCount of(ChatResponse response) {
        TokenUsage usage = response.tokenUsage();
        if (usage == null) {
            return new TokenCount(0, 0, 0, 0);
        }
        long input = orZero(usage.inputTokenCount());
        long output = orZero(usage.outputTokenCount());
        if (usage instanceof AnthropicTokenUsage) {
            AnthropicTokenUsage anthropic = (AnthropicTokenUsage) usage;
            long read = orZero(anthropic.cacheReadInputTokens());
            long write = orZero(anthropic.cacheCreationInputTokens());
            return new TokenCount(input + read + write, read, write, output);
        }
        if (usage instanceof OpenAiTokenUsage && ((OpenAiTokenUsage) usage).inputTokensDetails() != null) {
            return new TokenCount(input, orZero(((OpenAiTokenUsage) usage).inputTokensDetails().cachedTokens()), 0,
                    output);
        }
        return new TokenCount(input, 0, 0, output);
    }

    /** Adds the counts to an event: input and output always, the cache's parts when there were any. */
    void addTo(Map<String, Object> event) {
        event.put("inputTokens", input);
        if (cacheRead > 0) {
            event.put("cacheReadTokens", cacheRead);
        }
        if (cacheWrite > 0) {
            event.put("cacheWriteTokens", cacheWrite);
        }
        event.put("outputTokens", output);
    }

    private static long orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
