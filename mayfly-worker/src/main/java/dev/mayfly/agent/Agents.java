package dev.mayfly.agent;

import dev.mayfly.api.Agent;
import dev.mayfly.process.JobLaunch;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns an {@link AgentSpec} into a runnable {@link Agent}, the same way in-process and in a worker. */
public final class Agents {

    /** The built-in codebase analysis, in its own module (mayfly-analyze), loaded by name when used. */
    public static final String ANALYZE = "analyze";
    /** The built-in LLM tool loop, in its own module (mayfly-llm), loaded by name when used. */
    public static final String LLM = "llm";
    /** The built-in agents that come with their own classpath in their spec, by name: their classes. */
    private static final Map<String, String> OWN_CLASSPATH_AGENTS = Map.of(
            ANALYZE, "dev.mayfly.analyze.AnalyzeAgent",
            LLM, "dev.mayfly.llm.LlmAgent");

    /** The built-in agents' names. */
    public static final Set<String> BUILTINS = Set.of(ProbeAgent.NAME, ANALYZE, LLM);

    private Agents() {}

    /**
     * Creates the agent.
     *
     * @param log where a command agent's output goes (the task's log)
     * @param launch how a command agent's program is started (the task's mark, its cgroup)
     * @param streamFile where a command agent's standard output is copied as well, or null
     */
    public static Agent create(AgentSpec spec, OutputStream log, JobLaunch launch, Path streamFile)
            throws AgentLoadException {
        switch (spec.kind()) {
            case JAVA:
                return instantiate(loadClass(spec.target(), spec.classpath()));
            case COMMAND:
                return new CommandAgent(spec.commandLine(), log, launch, streamFile);
            default:
                if (ProbeAgent.NAME.equals(spec.target())) {
                    return new ProbeAgent();
                }
                String agentClass = OWN_CLASSPATH_AGENTS.get(spec.target());
                if (agentClass != null) {
                    // Its own classpath comes with the spec: the agent's jars are not on a worker's.
                    return instantiate(loadClass(agentClass, spec.classpath()));
                }
                throw new AgentLoadException("unknown built-in agent '" + spec.target() + "'; built-in agents: " + BUILTINS);
        }
    }

    /**
     * Checks, without running anything of the agent, that it can be created: the classpath entries
     * exist and the class is an Agent with a public no-argument constructor, or the program exists.
     */
    public static void check(AgentSpec spec) throws AgentLoadException {
        switch (spec.kind()) {
            case JAVA: {
                Class<? extends Agent> type = loadClass(spec.target(), spec.classpath());
                constructor(type);
                return;
            }
            case COMMAND:
                if (Programs.find(spec.target()) == null) {
                    throw new AgentLoadException("program '" + spec.target() + "' not found"
                            + (spec.target().contains("/") ? "" : " on PATH") + "; give a path or put it on PATH");
                }
                return;
            default:
                create(spec, OutputStream.nullOutputStream(), JobLaunch.INHERIT, null);
        }
    }

    private static Class<? extends Agent> loadClass(String className, List<Path> classpath) throws AgentLoadException {
        URL[] urls = new URL[classpath.size()];
        for (int i = 0; i < urls.length; i++) {
            Path entry = classpath.get(i);
            if (!Files.exists(entry)) {
                throw new AgentLoadException("classpath entry " + entry + " does not exist");
            }
            try {
                urls[i] = entry.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new AgentLoadException("classpath entry " + entry + " is not a usable path", e);
            }
        }
        // The parent is the loader of the Agent interface, so the agent's Agent is the same type as ours.
        ClassLoader loader = urls.length == 0 ? Agent.class.getClassLoader()
                : new URLClassLoader("mayfly-agent", urls, Agent.class.getClassLoader());
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new AgentLoadException("agent class " + className + " not found on the classpath "
                    + (classpath.isEmpty() ? "(empty: pass --classpath)" : classpath.toString()), e);
        }
        if (!Agent.class.isAssignableFrom(type)) {
            throw new AgentLoadException("class " + className + " does not implement " + Agent.class.getName());
        }
        return type.asSubclass(Agent.class);
    }

    private static Constructor<? extends Agent> constructor(Class<? extends Agent> type) throws AgentLoadException {
        try {
            return type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new AgentLoadException("agent class " + type.getName() + " needs a public no-argument constructor", e);
        }
    }

    private static Agent instantiate(Class<? extends Agent> type) throws AgentLoadException {
        try {
            return constructor(type).newInstance();
        } catch (InvocationTargetException e) {
            throw new AgentLoadException("agent class " + type.getName() + " failed in its constructor: "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new AgentLoadException("agent class " + type.getName() + " cannot be created: " + e, e);
        }
    }
}
