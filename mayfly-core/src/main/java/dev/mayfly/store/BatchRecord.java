package dev.mayfly.store;

import java.time.Instant;
import java.util.Locale;

/**
 * A batch as stored: its file, how many lines it runs, and how it ended.
 *
 * @param lines how many tasks (runnable lines) it holds
 * @param finishedAt null while it runs
 */
public record BatchRecord(String id, String supervisorId, String file, int lines, State state, Instant createdAt,
        Instant finishedAt) {

    public enum State {
        RUNNING, COMPLETED, FAILED, INTERRUPTED, CANCELLED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
