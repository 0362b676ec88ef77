package dev.mayfly.store;

import java.time.Instant;
import java.util.Locale;

/**
 * One step of a run as stored: its state, its latest attempt and the task of that attempt.
 *
 * @param attempt how many times the step was started (resume starts unfinished steps again)
 */
public record RunStepRecord(String runId, String stepId, State state, int attempt, String taskId, String resultJson,
        String error, Instant startedAt, Instant finishedAt) {

    /** A step's state. */
    public enum State {
        WAITING, RUNNING, COMPLETED, FAILED, SKIPPED, CANCELLED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
