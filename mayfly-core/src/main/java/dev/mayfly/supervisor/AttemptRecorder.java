package dev.mayfly.supervisor;

import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.memory.JobListener;
import dev.mayfly.memory.JobMemory;
import dev.mayfly.memory.JobReading;
import dev.mayfly.memory.MemoryBreach;
import dev.mayfly.memory.MemoryJob;
import dev.mayfly.memory.ProcessUse;
import dev.mayfly.routing.Mode;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.TaskStore;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.worker.MemorySample;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the store learns of one attempt of a task, in a worker or in-process: its row in
 * {@code task_attempts}, and its process tree's memory (the cap it started with, warnings, what
 * memory ended, what escaped). It opens the attempt's {@link MemoryJob} and closes it at the end.
 */
public final class AttemptRecorder implements JobListener {

    private final Context context;
    private final TaskStore store;
    private final OrchestratorLog log;
    private final Clock clock;
    private final String supervisorId;
    private final NewTask task;
    private final boolean recordSamples;
    private final Consumer<MemoryBreach> onBreach;
    private final MemoryJob job;
    private final Map<String, Object> capEvent;
    private AttemptRecord record;

    /**
     * Opens the attempt's memory job (when the task's tree is measured); {@link #started} records it.
     *
     * @param recordSamples whether the watch's readings are the task's memory samples (in-process
     *     commands); a worker's samples come with its own reports, the tree's reading beside them
     * @param onBreach told when memory ended the attempt's processes, to end the attempt
     */
    public AttemptRecorder(AttemptRecord.Kind kind, int attempt, NewTask task, JobMemory memory, Context context,
            boolean recordSamples, Consumer<MemoryBreach> onBreach) {
        this.context = context;
        this.store = context.store();
        this.log = context.log();
        this.clock = context.clock();
        this.supervisorId = context.supervisorId();
        this.task = task;
        this.recordSamples = recordSamples;
        this.onBreach = onBreach;
        int cap = task.request().limits().memoryMb();
        this.job = task.treeMeasured() ? memory.open(task.id(), attempt, cap, task.request().priority(), this) : null;
        Integer heap = task.routing().mode() == Mode.WORKER ? task.request().limits().heapMb() : null;
        this.record = AttemptRecord.started(task.id(), attempt, kind, heap, job == null ? null : cap,
                job == null ? null : job.enforcement().label(), null, clock.instant());
        this.capEvent = job == null ? null : capEvent(attempt, cap, memory);
    }

    /** The {@code memory_cap} event: the cap, how it is enforced, and the Node heap limit derived from it. */
    private static Map<String, Object> capEvent(int attempt, int cap, JobMemory memory) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("attempt", attempt);
        data.put("capMb", cap);
        data.put("enforcement", memory.enforcementNote());
        int nodeHeap = memory.nodeMaxOldSpaceMb(cap);
        if (nodeHeap > 0) {
            data.put("nodeMaxOldSpaceMb", nodeHeap);
        }
        return data;
    }

    /** Who is recording: the store, the log, the clock, the supervisor. */
    public record Context(TaskStore store, OrchestratorLog log, Clock clock, String supervisorId) {

        /**
         * Makes a write about a running task that the task can do without (an event, a sample, its
         * attempt's row): when the store refuses it (a full disk), the log says so and the task goes
         * on. Its outcome is written by {@link OutcomeWriter}, which does not give up so quietly.
         */
        public void tryRecord(String what, String taskId, Runnable write) {
            try {
                write.run();
            } catch (RuntimeException e) {
                log.error(OrchestratorLog.SUPERVISOR, "could not record " + what + " of task " + taskId + ": "
                        + e.getMessage(), "taskId", taskId);
            }
        }
    }

    /**
     * How an attempt (or a run of them: rotations) ended, for the retry policy.
     *
     * @param breach what memory ended, or null
     * @param number the last attempt's number
     */
    public record Attempt(TaskOutcome outcome, MemoryBreach breach, int number) {

        public boolean hostLow() {
            return breach != null && breach.cause() == MemoryBreach.Cause.HOST_LOW;
        }
    }

    /** The attempt's memory job, or null when its tree is not measured (an in-process Java agent). */
    public MemoryJob job() {
        return job;
    }

    /**
     * The attempt runs: in a worker JVM of this pid ({@code worker} true: the JVM is the root of the
     * task's tree), or in this supervisor (whose pid is recorded, but which is not part of the tree).
     */
    public synchronized void started(long pid, boolean worker) {
        if (job != null && worker) {
            job.rootStarted(pid);
        }
        record = new AttemptRecord(record.taskId(), record.attempt(), record.kind(), record.heapMb(), record.memoryCapMb(),
                record.enforcement(), pid, record.startedAt(), null, null, null, null, null, null);
        AttemptRecord started = record;
        context.tryRecord("the start of its attempt " + started.attempt(), task.id(), () -> store.together(() -> {
            store.attempts().recordAttempt(started);
            if (capEvent != null) {
                store.appendEvent(task.id(), supervisorId, "memory_cap", capEvent, started.startedAt());
            }
        }));
    }

    /** The tree's memory now, when it is measured. */
    public JobReading latest() {
        return job == null ? null : job.latest().orElse(null);
    }

    /**
     * Ends the attempt: ends whatever escaped its tree, records the attempt's row and memory events,
     * and returns the outcome with the tree's peak and cap (and {@code out_of_memory} when memory
     * ended it, whatever the agent said on its way out).
     */
    public TaskOutcome ended(TaskOutcome outcome) {
        return ended(outcome, null);
    }

    /**
     * Ends an attempt that moved the task to a fresh process (a rotation): its row says
     * {@code rotated}, with why, whatever the ended process looked like from outside.
     */
    public TaskOutcome endedRotated(TaskOutcome outcome, String why) {
        return ended(outcome, why);
    }

    private TaskOutcome ended(TaskOutcome outcome, String rotatedWhy) {
        TaskOutcome result = outcome;
        int escaped = 0;
        if (job != null) {
            MemoryJob.End end = job.close();
            escaped = end.escaped().size();
            if (escaped > 0) {
                List<String> named = named(end.escaped());
                int count = escaped;
                context.tryRecord("its escaped processes", task.id(), () -> store.appendEvent(task.id(), supervisorId,
                        "escaped_processes", Map.of("count", count, "processes", named), clock.instant()));
                log.warn(OrchestratorLog.SUPERVISOR, "Task " + task.id() + ": " + escaped + " process(es) had left its "
                        + "process tree; all ended: " + String.join("; ", named), "taskId", task.id());
            }
            if (end.breach() != null && outcome.reason() != null) {
                result = result.failedFor(FailureReason.OUT_OF_MEMORY, end.breach().message());
            }
            result = result.withTree(end.residentPeakMb(), job.capMb());
        }
        synchronized (this) {
            record = record.ended(clock.instant(), rotatedWhy != null ? "rotated"
                    : result.label(),
                    rotatedWhy != null ? rotatedWhy : result.error(), TaskOutcome.measured(result.memoryPeakMb()),
                    TaskOutcome.measured(result.residentPeakMb()), escaped);
            AttemptRecord ended = record;
            context.tryRecord("the end of its attempt " + ended.attempt(), task.id(),
                    () -> store.attempts().recordAttempt(ended));
        }
        return result;
    }

    /** Processes as {@code pid command} lines, for events and the log. */
    public static List<String> named(Map<Long, String> processes) {
        List<String> named = new ArrayList<>();
        processes.forEach((pid, command) -> named.add(pid + " " + command));
        return named;
    }

    /** What memory ended, if it did. */
    public MemoryBreach breach() {
        return job == null ? null : job.breach().orElse(null);
    }

    @Override
    public void sample(JobReading reading) {
        if (recordSamples) {
            context.tryRecord("a memory sample", task.id(),
                    () -> store.recordMemorySample(task.id(), MemorySample.NO_JVM, reading, reading.at()));
        }
    }

    @Override
    public void warning(JobReading reading, double thresholdPercent) {
        Map<String, Object> data = new LinkedHashMap<>(reading.toMap());
        data.put("capMb", job.capMb());
        data.put("thresholdPercent", thresholdPercent);
        context.tryRecord("a memory warning", task.id(),
                () -> store.appendEvent(task.id(), supervisorId, "resident_memory_warning", data, reading.at()));
        log.warn(OrchestratorLog.SUPERVISOR, String.format(Locale.ROOT, "Task %s: its processes hold %.0f MB, %.0f%% of "
                + "its %d MB memory cap; largest: %s", task.id(), reading.residentMb(),
                100 * reading.residentMb() / job.capMb(), job.capMb(), ProcessUse.describe(reading.largest())), "taskId",
                task.id());
    }

    @Override
    public void breached(MemoryBreach breach) {
        context.tryRecord("what ended it", task.id(),
                () -> store.appendEvent(task.id(), supervisorId, "memory_exceeded", breach.toMap(), clock.instant()));
        log.warn(OrchestratorLog.SUPERVISOR, "Task " + task.id() + ": " + breach.message(), "taskId", task.id());
        onBreach.accept(breach);
    }
}
