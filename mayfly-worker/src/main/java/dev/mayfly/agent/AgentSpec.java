package dev.mayfly.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which agent a task runs: a Java class on a classpath, a command line run without a shell, or
 * one of Mayfly's built-in agents. It travels to the worker over the channel, so it is plain data.
 *
 * @param kind what sort of agent
 * @param target the class name, the program, or the built-in agent's name
 * @param arguments the command's arguments (empty for other kinds)
 * @param classpath where a Java agent's classes are (empty for other kinds)
 */
public record AgentSpec(Kind kind, String target, List<String> arguments, List<Path> classpath) {

    public enum Kind { JAVA, COMMAND, BUILTIN }

    public AgentSpec {
        arguments = List.copyOf(arguments);
        classpath = List.copyOf(classpath);
    }

    public static AgentSpec java(String className, List<Path> classpath) {
        return new AgentSpec(Kind.JAVA, className, List.of(), classpath);
    }

    public static AgentSpec command(List<String> commandLine) {
        if (commandLine.isEmpty()) {
            throw new IllegalArgumentException("a command agent needs a program");
        }
        return new AgentSpec(Kind.COMMAND, commandLine.get(0), commandLine.subList(1, commandLine.size()), List.of());
    }

    public static AgentSpec builtin(String name) {
        return new AgentSpec(Kind.BUILTIN, name, List.of(), List.of());
    }

    /** The program and its arguments, for a command agent. */
    public List<String> commandLine() {
        List<String> line = new ArrayList<>();
        line.add(target);
        line.addAll(arguments);
        return line;
    }

    /** How the agent is named in the store and in messages: {@code java:CLASS}, {@code command:…}, {@code probe}. */
    public String describe() {
        switch (kind) {
            case JAVA:
                return "java:" + target;
            case COMMAND:
                return "command:" + String.join(" ", commandLine());
            default:
                return target;
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kind", kind.name());
        map.put("target", target);
        map.put("arguments", arguments);
        List<String> paths = new ArrayList<>();
        classpath.forEach(path -> paths.add(path.toString()));
        map.put("classpath", paths);
        return map;
    }

    @SuppressWarnings("unchecked")
    public static AgentSpec fromMap(Map<String, Object> map) {
        List<Path> paths = new ArrayList<>();
        ((List<String>) map.getOrDefault("classpath", List.of())).forEach(path -> paths.add(Path.of(path)));
        return new AgentSpec(
                Kind.valueOf((String) map.get("kind")),
                (String) map.get("target"),
                (List<String>) map.getOrDefault("arguments", List.of()),
                paths);
    }
}
