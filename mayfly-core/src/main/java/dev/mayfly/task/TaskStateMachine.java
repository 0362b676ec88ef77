package dev.mayfly.task;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The allowed transitions of a task, written down once. Every change of a task's state is checked
 * here before the store makes it (and the store's guarded update makes it only from the state the
 * caller saw).
 *
 * <pre>
 *   queued  → running | failed (interrupted) | cancelled
 *   running → completed | failed | cancelled
 * </pre>
 */
public final class TaskStateMachine {

    private static final Map<TaskState, Set<TaskState>> ALLOWED = Map.of(
            TaskState.QUEUED, EnumSet.of(TaskState.RUNNING, TaskState.FAILED, TaskState.CANCELLED),
            TaskState.RUNNING, EnumSet.of(TaskState.COMPLETED, TaskState.FAILED, TaskState.CANCELLED),
            TaskState.COMPLETED, EnumSet.noneOf(TaskState.class),
            TaskState.FAILED, EnumSet.noneOf(TaskState.class),
            TaskState.CANCELLED, EnumSet.noneOf(TaskState.class));

    private TaskStateMachine() {}

    public static boolean allowed(TaskState from, TaskState to) {
        return ALLOWED.get(from).contains(to);
    }

    /** @throws IllegalStateException when the transition is not allowed */
    public static void check(String taskId, TaskState from, TaskState to) {
        if (!allowed(from, to)) {
            throw new IllegalStateException("task " + taskId + ": " + from.label() + " → " + to.label()
                    + " is not an allowed transition");
        }
    }

    /** The states a task may be moved to {@code to} from. */
    public static Set<TaskState> sourcesOf(TaskState to) {
        Set<TaskState> sources = EnumSet.noneOf(TaskState.class);
        ALLOWED.forEach((from, targets) -> {
            if (targets.contains(to)) {
                sources.add(from);
            }
        });
        return sources;
    }
}
