package dev.mayfly.agent;

import dev.mayfly.api.Agent;
import dev.mayfly.api.AgentProvider;
import dev.mayfly.process.JobLaunch;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Turns an {@link AgentSpec} into a runnable {@link Agent}, the same way in-process and in a worker.
 * A named agent comes from the {@link AgentProvider} of that name found with {@link ServiceLoader}
 * among the jars its spec lists, which only the worker running it loads.
 */
public final class Agents {

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
                return create(provider(spec.target(), loader(spec.classpath())));
        }
    }

    /** The providers a class loader sees, in the order it lists them. */
    public static List<AgentProvider> providers(ClassLoader loader) throws AgentLoadException {
        List<AgentProvider> providers = new ArrayList<>();
        try {
            ServiceLoader.load(AgentProvider.class, loader).forEach(providers::add);
        } catch (ServiceConfigurationError | LinkageError e) {
            // A jar that lists a provider it does not hold, or one that cannot be created.
            throw new AgentLoadException("an agent provider cannot be loaded: " + e.getMessage(), e);
        }
        return providers;
    }

    private static AgentProvider provider(String name, ClassLoader loader) throws AgentLoadException {
        List<AgentProvider> providers = providers(loader);
        for (AgentProvider provider : providers) {
            if (provider.name().equals(name)) {
                return provider;
            }
        }
        throw new AgentLoadException("no agent named '" + name + "' is installed; agents found: "
                + providers.stream().map(AgentProvider::name).sorted().toList());
    }

    private static Agent create(AgentProvider provider) throws AgentLoadException {
        try {
            return provider.create();
        } catch (Exception | LinkageError e) {
            throw new AgentLoadException("agent " + provider.name() + " cannot be created: " + e, e);
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
        ClassLoader loader = loader(classpath);
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

    /** A loader for an agent's own jars, on top of the one that loaded Mayfly's API. */
    public static ClassLoader loader(List<Path> classpath) throws AgentLoadException {
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
        return urls.length == 0 ? Agent.class.getClassLoader()
                : new URLClassLoader("mayfly-agent", urls, Agent.class.getClassLoader());
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
