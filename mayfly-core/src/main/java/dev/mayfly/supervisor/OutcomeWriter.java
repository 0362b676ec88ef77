package dev.mayfly.supervisor;

import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.store.StoreLostException;
import dev.mayfly.store.TaskStore;
import dev.mayfly.task.TaskOutcome;
import java.time.Clock;
import java.time.Duration;

/**
 * Stores how a task ended. A write that fails (a full disk, a store that went read-only) is tried
 * again {@value #TRIES} times a second apart, since space may come back; a store deleted or
 * replaced does not, so that is said at once. If it still cannot be written, the caller is told
 * why, so that it can say so loudly and exit non-zero with the task's real outcome, rather than
 * leave the task {@code running} in silence (the next start would settle it as
 * {@code interrupted}).
 */
public final class OutcomeWriter {

    static final int TRIES = 3;

    private final TaskStore store;
    private final OrchestratorLog log;
    private final Clock clock;
    private final Duration pause;

    public OutcomeWriter(TaskStore store, OrchestratorLog log, Clock clock) {
        this(store, log, clock, Duration.ofSeconds(1));
    }

    OutcomeWriter(TaskStore store, OrchestratorLog log, Clock clock, Duration pause) {
        this.store = store;
        this.log = log;
        this.clock = clock;
        this.pause = pause;
    }

    /** @return null when the outcome is stored; else why it could not be, in one line */
    public String write(String taskId, TaskOutcome outcome) {
        RuntimeException last = null;
        int attempt = 0;
        while (attempt < TRIES) {
            attempt++;
            try {
                store.finish(taskId, outcome, clock.instant());
                return null;
            } catch (StoreLostException e) {
                // A deleted or replaced store does not come back: trying again only delays saying so.
                last = e;
                break;
            } catch (RuntimeException e) {
                last = e;
                if (attempt < TRIES) {
                    sleep();
                }
            }
        }
        String why = "could not record that task " + taskId + " " + describe(outcome)
                + (attempt > 1 ? " (tried " + attempt + " times)" : "") + ": " + last.getMessage();
        log.error(OrchestratorLog.SUPERVISOR, why, "taskId", taskId);
        return why;
    }

    /** {@code completed}, or {@code failed: timed_out (…)}, or {@code cancelled (…)}. */
    static String describe(TaskOutcome outcome) {
        return outcome.verdict() + (outcome.succeeded() || outcome.error() == null ? "" : " (" + outcome.error() + ")");
    }

    private void sleep() {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
