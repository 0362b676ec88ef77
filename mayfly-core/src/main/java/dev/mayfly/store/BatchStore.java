package dev.mayfly.store;

import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Batches and their tasks, one per line. */
public interface BatchStore {

    /** One task of a batch, about to be stored: its line and its request as JSON. */
    record NewLine(NewTask task, int line, String requestJson) {}

    /** The last task of a batch's line: how it stands, and the request to run it again. */
    record LineTask(int line, String taskId, TaskState state, String requestJson) {}

    /** A line of a batch and its last task, whole. */
    record LineRecord(int line, TaskRecord task) {}

    /** A task of a batch as stored: its record, its line, and the line's request as JSON. */
    record StoredLine(int line, TaskRecord task, String requestJson) {}

    /** Stores the batch and every one of its tasks as queued, in one transaction: all of them or none. */
    default void createBatch(BatchRecord batch, List<NewLine> lines) {
        createBatch(batch, lines, false);
    }

    /**
     * Stores the batch and every one of its tasks as queued, in one transaction: all of them or none.
     *
     * @param serverOwned whether a server started it: a server that is gone leaves it to the next
     *     ({@link #serverBatchesLeft})
     */
    void createBatch(BatchRecord batch, List<NewLine> lines, boolean serverOwned);

    /** The batches a server started that are still running, though the supervisor running them is gone. */
    List<String> serverBatchesLeft(Predicate<SupervisorRecord> alive);

    /** A batch runs again (resume): running, under this supervisor, with these new tasks stored queued. */
    void restartBatch(String batchId, String supervisorId, List<NewLine> lines);

    /** Ends, with {@code outcome}, each task of the batch still queued (never started); returns how many. */
    int settleUnstarted(String batchId, TaskOutcome outcome, Instant at);

    void batchEnded(String batchId, BatchRecord.State state, Instant at);

    /**
     * A user asks to cancel the batch: the request is kept on it for its supervisor, which starts no
     * further line, and each of its tasks not ended yet is asked to cancel
     * ({@link TaskStore#requestCancel}). A batch that has ended is left as it is. Returns the batch as
     * it was, or empty when there is none.
     */
    Optional<BatchRecord> requestCancel(String batchId, Instant at);

    /** Whether a user asked to cancel the batch. */
    boolean cancelRequested(String batchId);

    Optional<BatchRecord> findBatch(String batchId);

    List<BatchRecord> recentBatches(int limit);

    /** The batch's task with this id, with its line and request; empty when there is none. */
    Optional<StoredLine> storedLine(String taskId);

    /** Each line's last task, in line order. */
    List<LineTask> lastTasks(String batchId);

    /** Each line's last task as its whole record, in line order: what a batch's view shows, read at once. */
    List<LineRecord> lastTaskRecords(String batchId);
}
