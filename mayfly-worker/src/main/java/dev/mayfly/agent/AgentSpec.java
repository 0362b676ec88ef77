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
 * @param resume how a command agent continues its own session in a fresh process, or null when it cannot
 */
public record AgentSpec(Kind kind, String target, List<String> arguments, List<Path> classpath, Resume resume) {

    public enum Kind { JAVA, COMMAND, BUILTIN }

    /**
     * How a command agent that keeps its own session (Claude Code, Codex, aider) continues it: the
     * command line that resumes the session, and the prompt it is given then.
     *
     * @param commandLine the program and arguments that continue the session (in the same folder)
     * @param prompt what the resumed agent is told, on its standard input and in MAYFLY_PROMPT
     */
    public record Resume(List<String> commandLine, String prompt) {
        public Resume {
            commandLine = List.copyOf(commandLine);
            if (commandLine.isEmpty()) {
                throw new IllegalArgumentException("a resume command needs a program");
            }
        }
    }

    public AgentSpec {
        arguments = List.copyOf(arguments);
        classpath = List.copyOf(classpath);
    }

    public AgentSpec(Kind kind, String target, List<String> arguments, List<Path> classpath) {
        this(kind, target, arguments, classpath, null);
    }

    /** This command agent, able to continue its session with {@code resume}. */
    public AgentSpec resumingWith(Resume resume) {
        if (kind != Kind.COMMAND) {
            throw new IllegalArgumentException("only a command agent resumes its own session");
        }
        return new AgentSpec(kind, target, arguments, classpath, resume);
    }

    /**
     * The agent a later attempt runs: the resume command (which can resume again), or this agent
     * itself when it cannot resume.
     */
    public AgentSpec continued() {
        return resume == null ? this : AgentSpec.command(resume.commandLine()).resumingWith(resume);
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
        if (resume != null) {
            map.put("resume", Map.of("commandLine", resume.commandLine(), "prompt", resume.prompt()));
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    public static AgentSpec fromMap(Map<String, Object> map) {
        List<Path> paths = new ArrayList<>();
        ((List<String>) map.getOrDefault("classpath", List.of())).forEach(path -> paths.add(Path.of(path)));
        Map<String, Object> resume = (Map<String, Object>) map.get("resume");
        return new AgentSpec(
                Kind.valueOf((String) map.get("kind")),
                (String) map.get("target"),
                (List<String>) map.getOrDefault("arguments", List.of()),
                paths,
                resume == null ? null : new Resume((List<String>) resume.get("commandLine"), (String) resume.get("prompt")));
    }
}
