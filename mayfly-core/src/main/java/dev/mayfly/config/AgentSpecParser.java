package dev.mayfly.config;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.analyze.AnalyzeAgent;
import dev.mayfly.agent.Agents;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.eclipse.jgit.ignore.IgnoreNode;
import org.slf4j.LoggerFactory;
import org.slf4j.impl.StaticLoggerBinder;

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
     * A built-in agent. The analysis brings its own classpath (its jar, JGit, SLF4J), loaded only by
     * the workers that analyze: on every other worker's classpath those jars would cost each start
     * a few milliseconds (docs/benchmarks.md).
     */
    public static AgentSpec builtin(String name) {
        if (!name.equals(Agents.ANALYZE)) {
            return AgentSpec.builtin(name);
        }
        List<Path> classpath = new ArrayList<>();
        for (Class<?> type : List.of(AnalyzeAgent.class, IgnoreNode.class, LoggerFactory.class, StaticLoggerBinder.class)) {
            try {
                classpath.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (URISyntaxException | NullPointerException e) {
                throw new MayflyException("cannot find where " + type.getName() + " was loaded from", e);
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
