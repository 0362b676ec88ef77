package dev.mayfly.config;

import dev.mayfly.agent.AgentLoadException;
import dev.mayfly.agent.AgentSpec;
import dev.mayfly.agent.Agents;
import dev.mayfly.api.AgentProvider;
import dev.mayfly.errors.MayflyException;
import dev.mayfly.errors.UsageException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The agents users name by a word: every {@link AgentProvider} on Mayfly's own classpath (the
 * built-in {@code analyze}, {@code llm} and {@code probe}) and in the jars of {@code MAYFLY_CLASSPATH}.
 * The core names none of them; it asks them.
 */
public final class AgentProviders {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    /** Finding the providers reads every jar's service list: once per classpath is enough. */
    private static final Map<List<Path>, AgentProviders> LOADED = new ConcurrentHashMap<>();

    private final Map<String, AgentProvider> byName;

    private AgentProviders(Map<String, AgentProvider> byName) {
        this.byName = byName;
    }

    /** Mayfly's own agents only. */
    public static AgentProviders builtIn() {
        return forClasspath(List.of());
    }

    /**
     * Mayfly's own agents and those of the jars on {@code agentClasspath} (entries that do not exist
     * are left out here; a {@code java:} agent that needs them says so).
     *
     * @throws UsageException when a provider cannot be loaded, has a name that is not accepted, or
     *     has the name of another
     */
    public static AgentProviders forClasspath(List<Path> agentClasspath) {
        List<Path> existing = agentClasspath.stream().filter(Files::exists).toList();
        return LOADED.computeIfAbsent(existing, AgentProviders::load);
    }

    private static AgentProviders load(List<Path> classpath) {
        Map<String, AgentProvider> byName = new TreeMap<>();
        List<AgentProvider> providers;
        try {
            providers = Agents.providers(Agents.loader(classpath));
        } catch (AgentLoadException e) {
            throw new UsageException(e.getMessage() + where(classpath));
        }
        for (AgentProvider provider : providers) {
            String name = provider.name();
            if (name == null || !NAME.matcher(name).matches()) {
                throw new UsageException("agent provider " + provider.getClass().getName() + " names its agent '" + name
                        + "': expected lower-case letters, digits and dashes, starting with a letter" + where(classpath));
            }
            AgentProvider other = byName.putIfAbsent(name, provider);
            if (other != null) {
                throw new UsageException("two agent providers name their agent '" + name + "': "
                        + other.getClass().getName() + " and " + provider.getClass().getName() + where(classpath));
            }
        }
        return new AgentProviders(byName);
    }

    private static String where(List<Path> classpath) {
        return classpath.isEmpty() ? "" : " (MAYFLY_CLASSPATH " + classpath + ")";
    }

    /** The agents' names, sorted. */
    public Collection<String> names() {
        return byName.keySet();
    }

    /** The providers, by name. */
    public Collection<AgentProvider> all() {
        return byName.values();
    }

    public Optional<AgentProvider> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The named agent as a task carries it: its name and the jars its provider needs, which only the
     * worker that runs it loads.
     *
     * @throws MayflyException when there is no such agent, or a jar it needs cannot be found
     */
    public AgentSpec spec(String name) {
        AgentProvider provider = find(name).orElseThrow(
                () -> new MayflyException("no agent named '" + name + "' is installed; agents found: " + names()));
        List<Path> classpath = new ArrayList<>();
        List<Class<?>> classes;
        try {
            classes = provider.classpath();
        } catch (LinkageError e) {
            throw new MayflyException("the agent " + name + " needs a library that is not installed: " + e, e);
        }
        for (Class<?> type : classes) {
            try {
                Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!classpath.contains(jar)) {
                    classpath.add(jar);
                }
            } catch (URISyntaxException | NullPointerException e) {
                throw new MayflyException("cannot find where " + type.getName() + " of the agent " + name
                        + " is; the installation is incomplete", e);
            }
        }
        return new AgentSpec(AgentSpec.Kind.BUILTIN, name, List.of(), classpath);
    }
}
