package dev.mayfly.batch;

import dev.mayfly.errors.MayflyException;
import dev.mayfly.errors.UsageException;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.store.BatchRecord;
import dev.mayfly.store.BatchStore;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.RowIds;
import dev.mayfly.store.TaskStore;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch kept in the store: an id, and every line a queued task before the first one starts
 * (stored in one transaction), so that a batch stopped by a crash, a kill or Ctrl-C loses no line:
 * {@link #resume} runs again the lines whose last task did not complete.
 *
 * <p>While it runs it holds of each line only its number, priority and task id, and reads the task
 * back from the store as it starts ({@link #task}): a supervisor's heap does not grow with the
 * batch's length (a whole task held for each of 10,000 lines was about 3 MB of it).
 */
public final class DurableBatch {

    /** A line to run: its number, its priority (higher starts first), and its task in the store. */
    public record Line(int number, int priority, String taskId) {}

    private final String id;
    private final List<Line> lines;
    private final Orchestrator orchestrator;
    private final BatchStore store;
    private final Clock clock;

    private DurableBatch(String id, List<BatchEntry> stored, Orchestrator orchestrator, Clock clock) {
        this.id = id;
        this.lines = stored.stream().map(entry -> new Line(entry.line(), entry.request().priority(), entry.task().id()))
                .toList();
        this.orchestrator = orchestrator;
        this.store = orchestrator.store().batches();
        this.clock = clock;
    }

    /** Stores a new batch of {@code file}'s runnable lines, every one a queued task. */
    public static DurableBatch begin(Orchestrator orchestrator, Path file, List<BatchEntry> lines, Clock clock) {
        return begin(orchestrator, file.toString(), false, lines, clock);
    }

    /**
     * Stores a new batch of these lines, every one a queued task.
     *
     * @param source where the lines come from: the batch file, or the API
     * @param serverOwned whether a server runs it: the next server takes it up if this one is killed
     */
    public static DurableBatch begin(Orchestrator orchestrator, String source, boolean serverOwned, List<BatchEntry> lines,
            Clock clock) {
        String id = RowIds.next("batch", clock);
        BatchRecord batch = new BatchRecord(id, orchestrator.supervisorId(), source, lines.size(), BatchRecord.State.RUNNING,
                clock.instant(), null);
        List<BatchEntry> stored = prepared(orchestrator, lines);
        lines = null; // The caller handed the lines over: from here their prepared copies are all that is needed.
        orchestrator.store().batches().createBatch(batch, newLines(stored), serverOwned);
        return new DurableBatch(id, stored, orchestrator, clock);
    }

    /**
     * Checks that a batch can be taken up again: it exists, was not cancelled, and no live supervisor
     * runs it. Returns it; one that completed has nothing to run again.
     *
     * @param where the store, for the message when there is no such batch
     * @throws UsageException naming what is wrong
     */
    public static BatchRecord checkResumable(TaskStore store, String batchId, Object where, Clock clock) {
        BatchRecord batch = store.batches().findBatch(batchId).orElseThrow(() -> new UsageException("no batch '"
                + batchId + "' in " + where + "; 'mayfly status' lists recent batches"));
        if (batch.state() == BatchRecord.State.CANCELLED) {
            throw new UsageException("batch " + batchId + " was cancelled, and a cancelled batch is not resumed; "
                    + "start it again with 'mayfly batch " + batch.file() + "'");
        }
        if (batch.state() == BatchRecord.State.RUNNING) {
            SupervisorLiveness.refuseIfRunning(store, "batch " + batchId, batch.supervisorId(), clock);
        }
        return batch;
    }

    /**
     * Takes up a stopped batch: each line whose last task did not complete becomes a new queued task,
     * from the request the line stored, all of them stored in one transaction.
     *
     * @throws UsageException when there is no such batch
     */
    public static DurableBatch resume(Orchestrator orchestrator, String batchId, Clock clock) {
        BatchStore store = orchestrator.store().batches();
        List<BatchEntry> again = new ArrayList<>();
        for (BatchStore.LineTask last : store.lastTasks(batchId)) {
            if (last.state() != TaskState.COMPLETED) {
                again.add(LineRequest.fromJson(last.line(), last.requestJson()));
            }
        }
        List<BatchEntry> stored = prepared(orchestrator, again);
        store.restartBatch(batchId, orchestrator.supervisorId(), newLines(stored));
        return new DurableBatch(batchId, stored, orchestrator, clock);
    }

    private static List<BatchEntry> prepared(Orchestrator orchestrator, List<BatchEntry> lines) {
        // Below the disk reserve nothing is stored: the whole batch is refused, as a single task would be.
        orchestrator.checkDiskFree("the batch");
        List<BatchEntry> stored = new ArrayList<>();
        for (BatchEntry line : lines) {
            stored.add(line.stored(orchestrator.prepare(line.request(), line.workers(), null)));
        }
        return stored;
    }

    /**
     * The lines as the store takes them, each made as it is stored: a line's request as JSON is about
     * 0.3 KB, and all 10,000 of a batch at once were the largest part of the supervisor's heap while
     * the batch was stored, which its RSS kept long after (docs/benchmarks.md, "The supervisor over
     * 10,000 worker tasks").
     */
    private static List<BatchStore.NewLine> newLines(List<BatchEntry> entries) {
        return new AbstractList<>() {
            @Override
            public BatchStore.NewLine get(int index) {
                BatchEntry entry = entries.get(index);
                return new BatchStore.NewLine(entry.task(), entry.line(), LineRequest.toJson(entry));
            }

            @Override
            public int size() {
                return entries.size();
            }
        };
    }

    public String id() {
        return id;
    }

    /** The lines to run now, in file order. */
    public List<Line> lines() {
        return lines;
    }

    /**
     * The line's task as it was stored, ready to start: the same id, folder, request and routing.
     *
     * @throws MayflyException when the store no longer has it
     */
    public NewTask task(Line line) {
        BatchStore.StoredLine stored = store.storedLine(line.taskId()).orElseThrow(() -> new MayflyException("task "
                + line.taskId() + " of batch " + id + " (line " + line.number() + ") is no longer in the store"));
        BatchEntry entry = LineRequest.fromJson(stored.line(), stored.requestJson());
        return orchestrator.prepareClaimed(stored.task(), entry.request(), entry.workers(), 0, null);
    }

    /**
     * How a run of its lines ended: {@code interrupted} when it was stopped (Ctrl-C, its supervisor
     * stopping), else {@code cancelled} when a user asked, else {@code failed} when a line failed,
     * else {@code completed}.
     *
     * @param failed how many of its lines failed
     */
    public BatchRecord.State endState(boolean stopped, int failed) {
        if (stopped) {
            return BatchRecord.State.INTERRUPTED;
        }
        if (store.cancelRequested(id)) {
            return BatchRecord.State.CANCELLED;
        }
        return failed > 0 ? BatchRecord.State.FAILED : BatchRecord.State.COMPLETED;
    }

    /**
     * Ends the batch: the lines that never started (Ctrl-C, a store that was lost) end as
     * {@code interrupted}, which a resume runs again; the batch is recorded as {@code state}.
     */
    public void end(BatchRecord.State state, String whyUnstarted) {
        TaskOutcome unstarted = TaskOutcome.failed(FailureReason.INTERRUPTED,
                "not started: " + whyUnstarted + "; 'mayfly resume " + id + "' runs it");
        store.settleUnstarted(id, unstarted, clock.instant());
        store.batchEnded(id, state, clock.instant());
    }
}
