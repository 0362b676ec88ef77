package dev.mayfly.analyze;

import dev.mayfly.api.Agent;
import dev.mayfly.api.AgentProvider;
import java.util.List;

/**
 * Names the {@link AnalyzeAgent} {@code analyze}, and claims prompts that ask for a codebase
 * analysis when the user named no agent.
 */
public final class AnalyzeAgentProvider implements AgentProvider {

    @Override
    public String name() {
        return AnalyzeAgent.NAME;
    }

    @Override
    public String description() {
        return "the built-in codebase analysis";
    }

    @Override
    public Agent create() {
        return new AnalyzeAgent();
    }

    /** The agent's jar, JGit's (for .gitignore rules), SLF4J's, which JGit logs through, and Jackson's. */
    @Override
    public List<Class<?>> classpath() {
        return List.of(AnalyzeAgent.class, org.eclipse.jgit.ignore.IgnoreNode.class, org.slf4j.LoggerFactory.class,
                org.slf4j.nop.NOPServiceProvider.class, com.fasterxml.jackson.databind.ObjectMapper.class,
                com.fasterxml.jackson.core.JsonFactory.class, com.fasterxml.jackson.annotation.JsonProperty.class);
    }

    @Override
    public String recognize(String prompt) {
        return AnalysisPrompts.match(prompt);
    }
}
