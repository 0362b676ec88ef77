package dev.mayfly.task;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tasks of this supervisor that a user asked to cancel ({@code mayfly cancel}). Whoever runs a
 * task looks here before each attempt and as an attempt starts, so that a request that arrives
 * between the supervisor's stop of the running attempt and the start of the next one is not lost.
 */
public final class CancelRequests {

    private final Set<String> requested = ConcurrentHashMap.newKeySet();

    /** Records the request; true the first time for the task. */
    public boolean request(String taskId) {
        return requested.add(taskId);
    }

    public boolean requested(String taskId) {
        return requested.contains(taskId);
    }

    /** The task has ended: nothing more to remember of it. */
    public void forget(String taskId) {
        requested.remove(taskId);
    }
}
