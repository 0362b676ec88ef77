package dev.mayfly.workflow;

import java.util.List;

/**
 * A workflow: a named run of steps, selected by its triggers or by name.
 *
 * @param complexity 0 to 1, or null when the file gives none
 * @param source where it came from (a file path, or {@code builtin:NAME})
 * @param text the file's text, kept with each run so that a run can be resumed as it was defined
 */
public record Workflow(String name, String description, List<String> triggers, Double complexity, List<Step> steps,
        String source, String text) {

    public Step step(String id) {
        return steps.stream().filter(step -> step.id().equals(id)).findFirst().orElse(null);
    }
}
