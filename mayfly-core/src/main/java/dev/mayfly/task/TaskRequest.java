package dev.mayfly.task;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.routing.Complexity;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

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
        // Most tasks have none: one shared empty map, not two objects in each of a batch's thousands of tasks.
        params = params.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * Starts a request for a prompt and an agent: no parameters, {@link Complexity#MISSING medium}
     * complexity, priority 0, output not streamed. The folder and the limits must be given.
     */
    public static Builder builder(String prompt, AgentSpec agent) {
        return new Builder(prompt, agent);
    }

    /** A builder holding this request, to change a part of it. */
    public Builder toBuilder() {
        return new Builder(prompt, agent).params(params).complexity(complexity).workDir(workDir).limits(limits)
                .priority(priority).stream(stream);
    }

    /** The same task with other limits (a retry's). */
    public TaskRequest withLimits(TaskLimits newLimits) {
        return toBuilder().limits(newLimits).build();
    }

    /**
     * What a later attempt runs (a retry after a crash or running out of memory): a command agent
     * that can resume its own session continues it, told so by its resume prompt; any other agent
     * runs the same request again.
     */
    public TaskRequest continued() {
        AgentSpec.Resume resume = agent.resume();
        return resume == null ? this : toBuilder().prompt(resume.prompt()).agent(agent.continued()).build();
    }

    /** The same task, its command's standard output streamed. */
    public TaskRequest streamed() {
        return toBuilder().stream(true).build();
    }

    /** Names each part of a request, so that two numbers or two paths cannot change places unseen. */
    public static final class Builder {
        private String prompt;
        private AgentSpec agent;
        private Map<String, String> params = Map.of();
        private double complexity = Complexity.MISSING;
        private Path workDir;
        private TaskLimits limits;
        private int priority;
        private boolean stream;

        private Builder(String prompt, AgentSpec agent) {
            this.prompt = prompt;
            this.agent = agent;
        }

        public Builder prompt(String value) {
            prompt = value;
            return this;
        }

        public Builder agent(AgentSpec value) {
            agent = value;
            return this;
        }

        public Builder params(Map<String, String> value) {
            params = value;
            return this;
        }

        public Builder complexity(double value) {
            complexity = value;
            return this;
        }

        public Builder workDir(Path value) {
            workDir = value;
            return this;
        }

        public Builder limits(TaskLimits value) {
            limits = value;
            return this;
        }

        public Builder priority(int value) {
            priority = value;
            return this;
        }

        public Builder stream(boolean value) {
            stream = value;
            return this;
        }

        /** The request; a missing prompt, agent, folder or limits is a programming error. */
        public TaskRequest build() {
            return new TaskRequest(Objects.requireNonNull(prompt, "prompt"), Objects.requireNonNull(agent, "agent"),
                    params, complexity, Objects.requireNonNull(workDir, "workDir"),
                    Objects.requireNonNull(limits, "limits"), priority, stream);
        }
    }
}
