package dev.mayfly.api;

import java.util.List;
import java.util.Map;

/**
 * An agent that users name by a word ({@code --agent llm}, a batch line's {@code "agent": "llm"}),
 * shipped in a jar and found with {@link java.util.ServiceLoader}: the jar lists its provider in
 * {@code META-INF/services/dev.mayfly.api.AgentProvider}. Mayfly's own {@code analyze} and
 * {@code llm} agents are providers like any other; a user's jar on {@code MAYFLY_CLASSPATH} can be
 * one too.
 *
 * <p>The supervisor uses the provider to check a task before it is stored (its name, its settings)
 * and to say what the task did; the worker that runs the task loads the jars the provider names
 * and asks it for the agent. So a provider must be cheap to create and load: a public no-argument
 * constructor, and no use of the agent's libraries outside {@link #create()} and
 * {@link #classpath()}.
 */
public interface AgentProvider {

    /**
     * The word users name the agent by: lower-case letters, digits and dashes, starting with a
     * letter, unique among the providers Mayfly finds.
     */
    String name();

    /** What the agent does, in a few words for messages ("the built-in codebase analysis"). */
    String description();

    /** A new agent for one task; it runs in the worker (or in-process) with the jars of {@link #classpath()}. */
    Agent create() throws Exception;

    /**
     * One class from each jar the agent needs apart from Mayfly's API: the worker that runs the
     * agent loads those jars, and no other worker does. The default, the provider's own class, suits
     * an agent whose jar holds everything it uses.
     */
    default List<Class<?>> classpath() {
        return List.of(getClass());
    }

    /**
     * Checks the settings the agent reads when it starts, before the task is stored, so that a bad
     * one is the user's error at once rather than a failed task later.
     *
     * @param environment the supervisor's environment variables
     * @param params the task's parameters ({@code --param key=value})
     * @throws IllegalArgumentException with a one-line message naming the setting, the bad value and
     *     what is accepted
     */
    default void checkSettings(Map<String, String> environment, Map<String, String> params) {
        // Nothing to check.
    }

    /**
     * Whether a prompt asks for this agent's kind of work, for tasks whose user named no agent.
     *
     * @return the words of the prompt that say so (shown to the user as the reason the agent was
     *     chosen), or null when the agent does not claim the prompt
     */
    default String recognize(String prompt) {
        return null;
    }

    /**
     * What the task did, from the events the agent recorded ({@link TaskContext#event}), as lines for
     * {@code mayfly status ID}: a label and its text, in order. Empty when there is nothing to say.
     */
    default Map<String, String> status(List<AgentEvent> events) {
        return Map.of();
    }
}
