package dev.mayfly.orchestrator;

import dev.mayfly.routing.RoutingDecision;
import dev.mayfly.task.TaskOutcome;

/**
 * A finished task as the caller sees it: its id, where it ran and why, and how it ended.
 *
 * @param unrecorded null when the outcome is stored; else why Mayfly could not write it (the caller
 *     says so and exits non-zero)
 */
public record TaskResult(String taskId, RoutingDecision routing, TaskOutcome outcome, String unrecorded) {}
