package dev.mayfly.store;

import java.util.List;

/** Every attempt of a task, with its limits and how it went. */
public interface AttemptStore {

    /**
     * Keeps an attempt: a new row when it starts, the same row again, completed, when it ends. The
     * attempt's cap becomes the task's.
     */
    void recordAttempt(AttemptRecord attempt);

    /** The task's attempts, first first. */
    List<AttemptRecord> attempts(String taskId);
}
