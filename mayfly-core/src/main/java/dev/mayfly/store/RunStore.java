package dev.mayfly.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Workflow runs and their steps. Every change of a run's or a step's state follows
 * {@link RunStateMachine}; one it does not allow throws {@link IllegalStateException} and changes nothing.
 */
public interface RunStore {

    /** Stores a new run, and each of its steps as waiting. */
    default void createRun(RunRecord run, List<String> stepIds) {
        createRun(run, stepIds, false);
    }

    /**
     * Stores a run and its steps, waiting.
     *
     * @param serverOwned whether a server started it: a server that is gone leaves it to the next
     *     ({@link #serverRunsLeft})
     */
    void createRun(RunRecord run, List<String> stepIds, boolean serverOwned);

    /** The runs a server started that are still running, though the supervisor running them is gone. */
    List<String> serverRunsLeft(Predicate<SupervisorRecord> alive);

    /**
     * A run begins again (resume): running, under this supervisor, its unfinished steps waiting, but
     * for a step whose task is still queued or running (on another node): that one stays running.
     */
    void restartRun(String runId, String supervisorId, Instant at);

    /**
     * Takes over a server's run whose supervisor is gone, for {@code supervisorId}: a guarded update
     * from the supervisor it had, so that of several nodes finding it at once one takes it.
     *
     * @return whether this one took it
     */
    boolean takeOverRun(String runId, String from, String supervisorId, Instant at);

    void stepStarted(String runId, String stepId, Instant at);

    /** The step's task exists (its id is known before it ends). */
    void stepTask(String runId, String stepId, String taskId);

    /**
     * A user asks to cancel the run: the request is kept on it for the run's supervisor, which starts
     * no further step, and each of its tasks not ended yet is asked to cancel
     * ({@link TaskStore#requestCancel}), as is the task of a step that begins later. A run that has
     * ended is left as it is. Returns the run as it was, or empty when there is none.
     */
    Optional<RunRecord> requestCancel(String runId, Instant at);

    /** Whether a user asked to cancel the run. */
    boolean cancelRequested(String runId);

    /** A workflow run's step, as a task names the one it ran for. */
    record StepOfRun(String runId, String stepId) {}

    /** The run and step the task ran for; empty for a task of its own. */
    Optional<StepOfRun> stepOf(String taskId);

    void stepEnded(String runId, String stepId, RunStepRecord.State state, String resultJson, String error, Instant at);

    void runEnded(String runId, RunRecord.State state, String failedStep, Instant at);

    Optional<RunRecord> findRun(String runId);

    List<RunStepRecord> steps(String runId);

    List<RunRecord> recentRuns(int limit);
}
