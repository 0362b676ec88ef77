package dev.mayfly.task;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The allowed transitions of a task, written down once. The store checks every change of a task's
 * state here before it makes it, and makes it only from the state it read (a guarded update).
 *
 * <pre>
 *   queued  → running | failed (interrupted) | cancelled
 *   running → completed | failed | cancelled | queued (a retry, after its backoff)
 * </pre>
 */
public final class TaskStateMachine {

    private static final Map<TaskState, Set<TaskState>> ALLOWED = Map.of(
            TaskState.QUEUED, EnumSet.of(TaskState.RUNNING, TaskState.FAILED, TaskState.CANCELLED),
            TaskState.RUNNING, EnumSet.of(TaskState.COMPLETED, TaskState.FAILED, TaskState.CANCELLED, TaskState.QUEUED),
            TaskState.COMPLETED, EnumSet.noneOf(TaskState.class),
            TaskState.FAILED, EnumSet.noneOf(TaskState.class),
            TaskState.CANCELLED, EnumSet.noneOf(TaskState.class));

    private TaskStateMachine() {}

    public static boolean allowed(TaskState from, TaskState to) {
        return ALLOWED.get(from).contains(to);
    }
}
