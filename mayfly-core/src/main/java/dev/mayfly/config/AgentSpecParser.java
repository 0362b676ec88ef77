package dev.mayfly.config;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.agent.Agents;
import dev.mayfly.errors.MayflyException;
import dev.mayfly.errors.UsageException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads an agent as users name it: {@code java:CLASS}, {@code command:PROGRAM ARGS…} (words split
 * like a shell would split them, with single and double quotes, but never run by a shell), or a
 * built-in agent's name.
 */
public final class AgentSpecParser {

    public static final String ACCEPTED = "java:CLASS (with --classpath or MAYFLY_CLASSPATH), command:PROGRAM ARGS, "
            + "or a built-in agent (" + String.join(", ", new TreeSet<>(Agents.BUILTINS)) + ")";

    private AgentSpecParser() {}

    /**
     * @param setting the flag or variable the text came from, for the error message
     * @param classpath where a Java agent's classes are
     */
    public static AgentSpec parse(String setting, String text, List<Path> classpath) {
        String trimmed = text.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (lower.startsWith("java:")) {
            String className = trimmed.substring(5).trim();
            if (!className.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
                throw UsageException.invalid(setting, text, "java: followed by a fully qualified class name");
            }
            return AgentSpec.java(className, classpath);
        }
        if (lower.startsWith("command:")) {
            List<String> words;
            try {
                words = words(trimmed.substring(8));
            } catch (IllegalArgumentException e) {
                throw UsageException.invalid(setting, text, "a command line with its quotes closed");
            }
            if (words.isEmpty()) {
                throw UsageException.invalid(setting, text, "command: followed by a program and its arguments");
            }
            return AgentSpec.command(words);
        }
        if (Agents.BUILTINS.contains(lower)) {
            return builtin(lower);
        }
        throw UsageException.invalid(setting, text, ACCEPTED);
    }

    /**
     * The built-in agents that bring their own classpath, each named by one class of every jar it
     * needs. Those jars are loaded only by the workers that run the agent: on every other worker's
     * classpath they would cost each start a few milliseconds (docs/benchmarks.md).
     */
    private static final Map<String, List<String>> OWN_CLASSPATHS = Map.of(
            Agents.ANALYZE, List.of("dev.mayfly.analyze.AnalyzeAgent", "org.eclipse.jgit.ignore.IgnoreNode",
                    "org.slf4j.LoggerFactory", "org.slf4j.nop.NOPServiceProvider"),
            Agents.LLM, List.of("dev.mayfly.llm.LlmAgent", "dev.langchain4j.model.chat.ChatModel",
                    "org.jspecify.annotations.Nullable", "dev.langchain4j.http.client.HttpClient",
                    "dev.langchain4j.http.client.jdk.JdkHttpClient", "dev.langchain4j.model.openai.OpenAiChatModel",
                    "dev.langchain4j.model.anthropic.AnthropicChatModel", "com.knuddels.jtokkit.Encodings",
                    "org.slf4j.LoggerFactory", "org.slf4j.nop.NOPServiceProvider"));

    /** A built-in agent, with its own classpath when it has one. */
    public static AgentSpec builtin(String name) {
        List<String> markers = OWN_CLASSPATHS.get(name);
        if (markers == null) {
            return AgentSpec.builtin(name);
        }
        List<Path> classpath = new ArrayList<>();
        for (String className : markers) {
            try {
                Class<?> type = Class.forName(className, false, AgentSpecParser.class.getClassLoader());
                classpath.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (ClassNotFoundException | URISyntaxException | NullPointerException e) {
                throw new MayflyException("cannot find where " + className + " of the built-in agent " + name
                        + " is; the installation is incomplete", e);
            }
        }
        return new AgentSpec(AgentSpec.Kind.BUILTIN, name, List.of(), classpath);
    }

    /** Splits a command line into words: spaces separate, quotes group, backslash escapes outside single quotes. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
