package dev.mayfly.routing;

/**
 * Whether a task is long-running, and why.
 *
 * @param longRunning the task is expected to run long
 * @param complexity the complexity the decision used
 * @param reason the rule that decided, in words
 */
public record Classification(boolean longRunning, double complexity, String reason) {

    public Classification {
        // A batch holds its thousands of tasks' decisions, which say a few reasons between them: one copy each.
        reason = reason.intern();
    }
}
