package dev.mayfly.agent;

import dev.mayfly.api.Agent;
import dev.mayfly.api.AgentProvider;
import java.util.List;

/** Names the {@link ProbeAgent}, which lives in the worker itself: it needs no jar of its own. */
public final class ProbeAgentProvider implements AgentProvider {

    @Override
    public String name() {
        return ProbeAgent.NAME;
    }

    @Override
    public String description() {
        return "the built-in probe, which answers with where it ran";
    }

    @Override
    public Agent create() {
        return new ProbeAgent();
    }

    @Override
    public List<Class<?>> classpath() {
        return List.of();
    }
}
