package dev.mayfly.task;

import dev.mayfly.agent.AgentSpec;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the user asked for: one task, before it is routed.
 *
 * @param prompt the user's prompt
 * @param agent the agent that runs it
 * @param params the task's parameters
 * @param complexity 0 to 1 (see {@link dev.mayfly.routing.Complexity})
 * @param workDir the folder the agent works in
 * @param limits heap, tree memory, time and retries
 * @param priority a higher number leaves the queue first
 * @param stream whether a command agent's standard output is copied, as it comes, to the task's
 *     stream file ({@code mayfly run --stream} follows it)
 */
public record TaskRequest(String prompt, AgentSpec agent, Map<String, String> params, double complexity,
        Path workDir, TaskLimits limits, int priority, boolean stream) {

    public TaskRequest {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A task whose output is not streamed. */
    public TaskRequest(String prompt, AgentSpec agent, Map<String, String> params, double complexity, Path workDir,
            TaskLimits limits, int priority) {
        this(prompt, agent, params, complexity, workDir, limits, priority, false);
    }

    /** The same task with other limits (a retry's). */
    public TaskRequest withLimits(TaskLimits newLimits) {
        return new TaskRequest(prompt, agent, params, complexity, workDir, newLimits, priority, stream);
    }

    /**
     * What a later attempt runs (a retry after a crash or running out of memory): a command agent
     * that can resume its own session continues it, told so by its resume prompt; any other agent
     * runs the same request again.
     */
    public TaskRequest continued() {
        AgentSpec.Resume resume = agent.resume();
        return resume == null ? this
                : new TaskRequest(resume.prompt(), agent.continued(), params, complexity, workDir, limits, priority, stream);
    }

    /** The same task, its command's standard output streamed. */
    public TaskRequest streamed() {
        return new TaskRequest(prompt, agent, params, complexity, workDir, limits, priority, true);
    }
}
