package dev.mayfly.store;

import dev.mayfly.api.ContextSegment;
import dev.mayfly.memory.JobReading;
import dev.mayfly.routing.Mode;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskState;
import dev.mayfly.worker.MemorySample;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where tasks, their memory samples and their events are kept. Within a process the supervisor is
 * its only writer; every change of a task's state goes through {@link dev.mayfly.task.TaskStateMachine}
 * and is made only from the state the writer saw (the row is the lock).
 */
public interface TaskStore extends AutoCloseable {

    /** The store in a few words for {@code mayfly validate}: its schema version and what else matters. */
    String describe();

    /** What is wrong with how the store is set up (a journal mode that loses writes, say), or empty. */
    Optional<String> setupProblem();

    /** The schema version the store is at. */
    int schemaVersion();

    /** Workflow runs and their steps, kept in the same store. */
    RunStore runs();

    /** Batches, in the same store. */
    BatchStore batches();

    /** Every attempt of every task, kept in the same store. */
    AttemptStore attempts();

    /** Makes the changes {@code work} makes as one: all of them or none, in one write to the disk. */
    void together(Runnable work);

    void registerSupervisor(SupervisorRecord supervisor);

    /**
     * The supervisor is alive at {@code at}: its heartbeat, which supervisors on other machines read.
     *
     * @return false when it is marked stopped: another node found its lease expired and settled its
     *     tasks (it must stop what it still runs of them, then {@link #rejoin})
     */
    default boolean heartbeat(String supervisorId, Instant at) {
        return heartbeat(supervisorId, at, null);
    }

    /**
     * A heartbeat that also keeps the supervisor's live figures (JSON), which nodes on other machines
     * show; null keeps the last ones.
     */
    boolean heartbeat(String supervisorId, Instant at, String figuresJson);

    /** The live figures the supervisor kept with its last heartbeat (JSON), if it kept any. */
    Optional<String> lastFigures(String supervisorId);

    /**
     * A supervisor whose lease was lost, and that has stopped what it ran, is alive again from
     * {@code at}: it beats and claims anew. Its earlier claims stay refused.
     */
    void rejoin(String supervisorId, Instant at);

    void markSupervisorStopped(String supervisorId, Instant at);

    /** Where the supervisor's control endpoint listens, once it has opened. */
    void recordControl(String supervisorId, ControlAddress control);

    /** The supervisor's control endpoint; empty for one without (an earlier version, or it could not open). */
    Optional<ControlAddress> findControl(String supervisorId);

    /** The supervisors not marked stopped, newest first: running, or gone without saying so. */
    List<SupervisorRecord> unstoppedSupervisors();

    /** Stores a new task as {@code queued}, with a {@code task_queued} event. */
    void createTask(NewTask task);

    /** queued → running (its wait reason cleared); false when the task was not queued any more. */
    boolean markRunning(String taskId, Long pid, Instant at);

    /** A queued task waits (for memory): why, kept on the task and as a {@code waiting} event. */
    void waiting(String taskId, String why, Instant at);

    /**
     * running → queued for another attempt after {@code delay}: the next attempt's number and
     * limits, why, and a {@code retry_scheduled} event.
     *
     * @param heapMb the next attempt's heap cap (null in-process)
     * @param memoryCapMb the next attempt's tree cap (null when not measured)
     */
    void retryScheduled(String taskId, int attempt, Integer heapMb, Integer memoryCapMb, long delayMs, String why,
            Instant at);

    /**
     * A user asks to cancel the task: the request is kept on it, with a {@code cancel_requested}
     * event, for its supervisor to carry out ({@link #cancelRequests}). A task that has ended is left
     * as it is.
     *
     * @return the task as it is now, or empty when there is no such task
     */
    Optional<TaskRecord> requestCancel(String taskId, Instant at);

    /** The tasks of this supervisor that a user asked to cancel and that have not ended yet. */
    List<String> cancelRequests(String supervisorId);

    /** queued or running → the outcome's terminal state; false when the task had already ended. */
    boolean finish(String taskId, TaskOutcome outcome, Instant at);

    /**
     * Keeps one memory sample: the worker JVM's (heap fields -1 for an in-process command) and the
     * whole process tree's, when measured.
     */
    void recordMemorySample(String taskId, MemorySample sample, JobReading tree, Instant at);

    /** Keeps an agent's checkpoint (its saved state) for the task's attempt, in place of the one before. */
    void saveCheckpoint(String taskId, int attempt, String state, Instant at);

    /** The task's last checkpoint, if it saved one. */
    Optional<String> latestCheckpoint(String taskId);

    /** The task moves to a fresh worker: one more attempt and one more rotation, with an event. */
    void recordRotation(String taskId, int attempt, Instant at);

    /** A later attempt's worker is up: its pid, one more attempt when {@code attempt} says so, an event. */
    void workerRestarted(String taskId, int attempt, long pid, Instant at);

    void appendEvent(String taskId, String supervisorId, String type, Map<String, ?> data, Instant at);

    /**
     * Keeps a piece of the agent's context; a segment with the same number replaces the one kept,
     * and later ones are dropped (see {@link ContextSegment}).
     */
    void saveContextSegment(String taskId, int attempt, ContextSegment segment, Instant at);

    /** The task's context segments, in order. */
    List<ContextSegment> contextSegments(String taskId);

    /** How many context segments the task has in each tier, head first; empty when it has none. */
    List<ContextTier> contextTiers(String taskId);

    /**
     * Settles tasks left queued or running by supervisors that are gone, and marks those stopped. A
     * server's task is the queue's again: one its node had claimed but not started waits for another
     * node; one it was running is queued again when it has retries left ({@code retry_limit}), its
     * lost attempt ended {@code interrupted}. Every other task ends {@code failed}, reason
     * {@code interrupted}, naming the supervisor. Safe when several nodes settle the same one at once:
     * each change is a guarded update, made by one of them.
     *
     * @param alive tells whether a supervisor is still running
     * @return the ids of the tasks whose attempt was ended (queued again, or ended)
     */
    List<String> settleOrphans(Predicate<SupervisorRecord> alive, Instant at);

    Optional<TaskRecord> findTask(String taskId);

    List<TaskRecord> recentTasks(int limit);

    /** Tasks newest first, filtered by state, reason and creation time, a page at a time. */
    List<TaskRecord> findTasks(TaskFilter filter);

    /** How many tasks are in a state, with a reason (null unless failed), run in a mode. */
    /** How many tasks are in one state, for one reason, in one mode, and their execution times added up. */
    record TaskCount(TaskState state, FailureReason reason, Mode mode, long count, long executionMs) {}

    /**
     * Stores a task submitted to {@code mayfly serve}, queued and unclaimed, with its request as JSON:
     * whichever server node sharing the store has room first claims it ({@link #claimNext}).
     */
    void createServerTask(NewTask task, String requestJson);

    /**
     * A server's task claimed by a node: the task, the request it was submitted with (JSON), the
     * claim's number (its fencing token), and the retries it has had, on any node.
     */
    record Claim(TaskRecord task, String requestJson, int number, int retriesDone) {}

    /**
     * Claims for {@code supervisorId} the next server task waiting for a node: the highest priority,
     * then the oldest. A task that runs in a worker is claimed only when {@code workerSlotFree}; one
     * that runs in-process, always. The claim is a guarded update (the row is the lock; on PostgreSQL
     * the rows other nodes are claiming are skipped): two nodes never claim one task. From then on,
     * this store takes the task's outcome, attempts and checkpoints only while the claim is the task's
     * latest and still {@code supervisorId}'s; a late one is refused and recorded
     * ({@code late_result_refused}).
     */
    Optional<Claim> claimNext(String supervisorId, boolean workerSlotFree, Instant at);

    /** The task's log is kept here now: the node that claimed it keeps its folder in its own home. */
    void recordLogPath(String taskId, String logPath);

    /** Every task counted by its state, reason and mode (the server's metrics). */
    List<TaskCount> taskCounts();

    Optional<SupervisorRecord> findSupervisor(String supervisorId);

    /** Why nothing more can be recorded (the store's file was deleted or replaced), or empty while all is well. */
    Optional<String> lost();

    /** The task's last memory sample: what it holds now, while it runs. */
    Optional<MemorySampleRecord> latestMemorySample(String taskId);

    default List<MemorySampleRecord> memorySamples(String taskId) {
        return memorySamples(taskId, null);
    }

    /** The task's memory samples taken after {@code after} (all of them for null), oldest first. */
    List<MemorySampleRecord> memorySamples(String taskId, Instant after);

    default List<EventRecord> events(String taskId) {
        return events(taskId, 0);
    }

    /** The task's events after the one with id {@code afterId} (all of them for 0), oldest first. */
    List<EventRecord> events(String taskId, long afterId);

    @Override
    void close();
}
