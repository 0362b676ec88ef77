package dev.mayfly.routing;

/**
 * Where a task runs and why; printed, and stored with the task.
 *
 * @param mode worker or in-process
 * @param classification the long/short verdict (made even when workers are off, for the record)
 * @param reason the whole reason in one line
 * @param workersOn whether the feature flag was on for this task
 */
public record RoutingDecision(Mode mode, Classification classification, String reason, boolean workersOn) {

    public RoutingDecision {
        reason = reason.intern(); // as Classification's
    }
}
