package dev.mayfly.llm;

import dev.mayfly.api.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the {@code llm} agent reaches its model and how far it may go. Each setting is read from the
 * task's parameter {@code llm.NAME} ({@code --param llm.model=…}), else the environment variable
 * {@code MAYFLY_LLM_NAME}, else its default. The API key is read from the environment only, so it
 * never reaches the store.
 *
 * <p>This class must not touch LangChain4j: the supervisor checks the settings before a task is
 * stored, without loading the agent's libraries.
 */
public record LlmSettings(
        Provider provider,
        String baseUrl,
        String model,
        String apiKey,
        String apiKeyVariable,
        int maxSteps,
        long maxTokens,
        Duration maxTime,
        int contextTokens,
        int maxOutputTokens,
        Duration commandTimeout,
        Duration requestTimeout,
        int retries,
        boolean stream,
        String rulesFile) {

    /** The two protocols spoken. */
    public enum Provider {
        /** The OpenAI chat-completions protocol: OpenAI, and local servers such as Ollama, vLLM and llama.cpp. */
        OPENAI("OPENAI_API_KEY"),
        /** Anthropic's messages protocol. */
        ANTHROPIC("ANTHROPIC_API_KEY");

        private final String keyVariable;

        Provider(String keyVariable) {
            this.keyVariable = keyVariable;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The key for whichever provider, before the provider's own variable. */
    private static final String ANY_PROVIDER_KEY_VARIABLE = "MAYFLY_LLM_API_KEY";
    /** Every environment variable an API key may come from. */
    public static final Set<String> KEY_VARIABLES = Set.of(ANY_PROVIDER_KEY_VARIABLE, Provider.OPENAI.keyVariable,
            Provider.ANTHROPIC.keyVariable);

    /** The smallest context budget: a system prompt, a task and one round of tools must fit. */
    public static final int MIN_CONTEXT_TOKENS = 2000;

    @Override
    public String toString() {
        // Never print the key.
        return "LlmSettings[provider=" + provider.label() + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey from "
                + apiKeyVariable + ", maxSteps=" + maxSteps + ", maxTokens=" + maxTokens + ", maxTime=" + maxTime
                + ", contextTokens=" + contextTokens + ", retries=" + retries + ", stream=" + stream + ", rulesFile="
                + rulesFile + "]";
    }

    /**
     * Reads the settings.
     *
     * @throws IllegalArgumentException with one line that names the setting, the bad value and what is accepted
     */
    public static LlmSettings read(Map<String, String> environment, Map<String, String> params) {
        Source source = new Source(environment, params);
        Provider provider = source.provider();
        String baseUrl = source.url("base_url");
        String model = source.text("model");
        if (model == null) {
            throw new IllegalArgumentException("the llm agent needs a model: set MAYFLY_LLM_MODEL or --param llm.model="
                    + " (for example gpt-4o-mini, claude-sonnet-4-5, or a local model's name such as llama3.1)");
        }
        String keyVariable = environment.containsKey(ANY_PROVIDER_KEY_VARIABLE) ? ANY_PROVIDER_KEY_VARIABLE
                : provider.keyVariable;
        String apiKey = blankToNull(environment.get(keyVariable));
        if (apiKey == null && baseUrl == null) {
            throw new IllegalArgumentException("the llm agent has no API key for the hosted " + provider.label()
                    + " service: set " + provider.keyVariable + " or " + ANY_PROVIDER_KEY_VARIABLE + " (a local server needs only "
                    + "MAYFLY_LLM_BASE_URL)");
        }
        return new LlmSettings(provider, baseUrl, model, apiKey, keyVariable,
                (int) source.whole("max_steps", 200, 1, 1_000_000),
                source.whole("max_tokens", 5_000_000, 1, Long.MAX_VALUE),
                source.duration("max_time", Duration.ofHours(2)),
                (int) source.whole("context_tokens", 32_000, MIN_CONTEXT_TOKENS, 10_000_000),
                (int) source.whole("max_output_tokens", 4096, 16, 1_000_000),
                source.duration("command_timeout", Duration.ofMinutes(2)),
                source.duration("request_timeout", Duration.ofMinutes(5)),
                (int) source.whole("retries", 2, 0, 10),
                source.flag("stream", true),
                source.text("rules_file"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Where a setting's value comes from, and how its errors name it. */
    private static final class Source {
        private final Map<String, String> environment;
        private final Map<String, String> params;

        Source(Map<String, String> environment, Map<String, String> params) {
            this.environment = environment;
            this.params = params;
        }

        String text(String name) {
            String param = blankToNull(params.get("llm." + name));
            return param != null ? param : blankToNull(environment.get(variable(name)));
        }

        /** The name the user gave the value under, for error messages. */
        String origin(String name) {
            return blankToNull(params.get("llm." + name)) != null ? "--param llm." + name : variable(name);
        }

        static String variable(String name) {
            return "MAYFLY_LLM_" + name.toUpperCase(Locale.ROOT);
        }

        Provider provider() {
            String value = text("provider");
            if (value == null) {
                return Provider.OPENAI;
            }
            try {
                return Provider.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid("provider", value, "openai (any OpenAI-compatible server) or anthropic");
            }
        }

        String url(String name) {
            String value = text(name);
            if (value == null) {
                return null;
            }
            try {
                URI uri = new URI(value);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return value;
                }
            } catch (URISyntaxException e) {
                // Reported below.
            }
            throw invalid(name, value, "an http:// or https:// URL, such as http://localhost:11434/v1");
        }

        long whole(String name, long fallback, long min, long max) {
            String value = text(name);
            if (value == null) {
                return fallback;
            }
            try {
                long number = Long.parseLong(value.replace("_", ""));
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // Reported below.
            }
            throw invalid(name, value, "a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to " + max));
        }

        boolean flag(String name, boolean fallback) {
            String value = text(name);
            if (value == null) {
                return fallback;
            }
            switch (value.toLowerCase(Locale.ROOT)) {
                case "true":
                case "yes":
                case "1":
                    return true;
                case "false":
                case "no":
                case "0":
                    return false;
                default:
                    throw invalid(name, value, "true or false");
            }
        }

        Duration duration(String name, Duration fallback) {
            String value = text(name);
            if (value == null) {
                return fallback;
            }
            try {
                Duration duration = Durations.parse(value);
                if (!duration.isZero()) {
                    return duration;
                }
            } catch (IllegalArgumentException e) {
                // Reported below.
            }
            throw invalid(name, value, Durations.ACCEPTED + ", above zero");
        }

        IllegalArgumentException invalid(String name, String value, String accepted) {
            return new IllegalArgumentException(origin(name) + ": '" + value + "' is not accepted; use " + accepted);
        }
    }
}
