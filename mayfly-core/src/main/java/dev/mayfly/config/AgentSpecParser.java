package dev.mayfly.config;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.errors.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads an agent as users name it: {@code java:CLASS}, {@code command:PROGRAM ARGS…} (words split
 * like a shell would split them, with single and double quotes, but never run by a shell), or a
 * named agent's name ({@link AgentProviders}).
 */
public final class AgentSpecParser {

    private AgentSpecParser() {}

    /** What an agent can be, for messages: the named agents are those installed. */
    public static String accepted(AgentProviders agents) {
        return "java:CLASS (with --classpath or MAYFLY_CLASSPATH), command:PROGRAM ARGS, "
                + "or a named agent (" + String.join(", ", agents.names()) + ")";
    }

    /**
     * @param setting the flag or variable the text came from, for the error message
     * @param classpath where a Java agent's classes are, and jars of more named agents
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
        AgentProviders agents = AgentProviders.forClasspath(classpath);
        if (agents.find(lower).isPresent()) {
            return agents.spec(lower);
        }
        throw UsageException.invalid(setting, text, accepted(agents));
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
