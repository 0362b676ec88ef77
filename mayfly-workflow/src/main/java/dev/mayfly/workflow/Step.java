package dev.mayfly.workflow;

import dev.mayfly.task.TaskLimits;
import java.util.List;
import java.util.Map;

/**
 * One step of a workflow.
 *
 * @param agent the agent as written ({@code analyze}, {@code java:…}, {@code command:…}), or null for the default agent
 * @param resume how a command agent continues its session (a preset or a command line), or null
 * @param prompt a template ({@code {{prompt}}}, {@code {{steps.plan.output}}}, …)
 * @param params templates too
 * @param needs the steps that must complete first
 * @param limits this step's own heap cap, tree cap, timeout, retries and growth (null fields: the run's)
 * @param workers workers on or off for this step, or null to follow the run
 * @param line where the step starts in its file
 */
public record Step(String id, String agent, String resume, Template prompt, Map<String, Template> params, List<String> needs,
        TaskLimits.Overrides limits, Boolean workers, int line) {}
