package dev.mayfly.store;

import java.time.Instant;
import java.util.Locale;

/** A workflow run as stored. */
public record RunRecord(String id, String supervisorId, String workflow, String source, String definition, String prompt,
        String paramsJson, double complexity, State state, String failedStep, String folder, Instant createdAt,
        Instant finishedAt) {

    /** A run's state. */
    public enum State {
        RUNNING, COMPLETED, FAILED, CANCELLED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
