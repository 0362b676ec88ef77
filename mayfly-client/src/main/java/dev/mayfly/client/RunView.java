package dev.mayfly.client;

import java.util.List;
import java.util.Map;

/**
 * A workflow run as the store has it: its state and its steps, each with its task.
 *
 * @param status running, completed, failed or cancelled
 * @param failedStep the step it failed at, or null
 * @param folder the run's folder: its run-summary.md and the steps' files
 */
public record RunView(String runId, String workflow, String status, String failedStep, String prompt, String folder,
        List<Step> steps) {

    /**
     * One step of a run.
     *
     * @param status waiting, running, completed, failed, skipped or cancelled
     * @param result the step's result as parsed JSON, once it completed
     */
    public record Step(String id, String status, Integer attempt, String taskId, String error, Object result) {}

    /** A run from its JSON object, as the API and {@code mayfly status RUN_ID --json} write it. */
    @SuppressWarnings("unchecked")
    public static RunView of(Map<String, Object> json) {
        List<Step> steps = ((List<Map<String, Object>>) json.get("steps")).stream().map(step -> new Step(
                (String) step.get("id"), (String) step.get("status"),
                step.get("attempt") == null ? null : ((Number) step.get("attempt")).intValue(), (String) step.get("taskId"),
                (String) step.get("error"), step.get("result"))).toList();
        return new RunView((String) json.get("runId"), (String) json.get("workflow"), (String) json.get("status"),
                (String) json.get("failedStep"), (String) json.get("prompt"), (String) json.get("folder"), steps);
    }

    /** Whether it has ended: completed, failed or cancelled. */
    public boolean ended() {
        return !"running".equals(status);
    }
}
