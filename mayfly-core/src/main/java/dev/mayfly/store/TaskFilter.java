package dev.mayfly.store;

import dev.mayfly.task.TaskState;
import java.time.Instant;

/**
 * Which tasks to list.
 *
 * @param state only tasks in this state, or null for all
 * @param since only tasks created at or after this time, or null for all
 * @param limit at most this many, newest first
 */
public record TaskFilter(TaskState state, Instant since, int limit) {}
