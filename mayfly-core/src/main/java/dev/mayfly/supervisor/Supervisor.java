package dev.mayfly.supervisor;

import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.TaskStore;
import dev.mayfly.task.CancelRequests;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.RetryPolicy;
import dev.mayfly.task.Settlement;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs tasks in worker JVMs: at most {@code maxWorkers} at once, the rest waiting in a bounded
 * queue, higher priority first, then first come first served.
 *
 * <p>Threads: {@code mayfly-slot-N} (one per worker slot) run attempts from start to stored
 * outcome; {@code mayfly-timers} fires timeouts, forced stops and connect deadlines, and looks at
 * the heap where the launcher asks ({@link HeapKeeper}). Shutdown ({@link #close}): refuse new
 * tasks, settle the queued ones as interrupted, stop the running ones (cancel, grace, kill), wait
 * for their outcomes to be stored.
 */
public final class Supervisor implements AutoCloseable {

    private final String id;
    private final SupervisorConfig config;
    private final TaskStore store;
    private final OrchestratorLog log;
    private final Clock clock;
    private final SupervisorCounters counters = new SupervisorCounters();
    private final ThreadPoolExecutor slots;
    private final ScheduledThreadPoolExecutor timers;
    private final Set<WorkerAttempt> active = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    /** A crash after a checkpoint is retried from it this often; a crash without one is final. */
    static final int MAX_CRASH_RESTARTS = 2;
    private final AtomicInteger workerNumbers = new AtomicInteger();
    /** Tasks waiting out a retry's backoff: in no queue, but still the supervisor's to settle. */
    private final Set<QueuedTask> backingOff = new HashSet<>();
    private final RetryPolicy retryPolicy;
    private final TaskAdmission admission;
    private final OutcomeWriter outcomes;
    private volatile boolean closing;
    private final CancelRequests cancels;
    /** The tasks submitted here that have not ended yet. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final StandbyWorkers standby;

    public Supervisor(String id, SupervisorConfig config, TaskStore store, OrchestratorLog log, Clock clock) {
        this(id, config, store, log, clock, new CancelRequests());
    }

    /** @param cancels the tasks users asked to cancel, shared with the in-process runner */
    public Supervisor(String id, SupervisorConfig config, TaskStore store, OrchestratorLog log, Clock clock,
            CancelRequests cancels) {
        this.id = id;
        this.cancels = cancels;
        this.config = config;
        this.store = store;
        this.log = log;
        this.clock = clock;
        this.retryPolicy = new RetryPolicy(config.retryDelay(), ThreadLocalRandom.current()::nextDouble);
        this.admission = new TaskAdmission(config.memory().admission(), new AttemptRecorder.Context(store, log, clock, id));
        this.outcomes = new OutcomeWriter(store, log, clock);
        AtomicInteger slotNumbers = new AtomicInteger();
        this.slots = new ThreadPoolExecutor(config.maxWorkers(), config.maxWorkers(), 0, TimeUnit.MILLISECONDS,
                new PriorityBlockingQueue<>(), runnable -> daemon(runnable, "mayfly-slot-" + slotNumbers.incrementAndGet()));
        // Every slot thread exists up front, so every task passes through the priority queue.
        this.slots.prestartAllCoreThreads();
        this.timers = DaemonTimers.start("mayfly-timers");
        if (HeapKeeper.wanted()) {
            HeapKeeper keeper = HeapKeeper.ofThisJvm();
            timers.scheduleWithFixedDelay(keeper::look, HeapKeeper.LOOK.toMillis(), HeapKeeper.LOOK.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        this.standby = new StandbyWorkers(config, counters, held::size,
                () -> "worker-" + workerNumbers.incrementAndGet(), timers, log, clock);
        log.info(OrchestratorLog.SUPERVISOR, "Supervisor initialized", "maxWorkers", config.maxWorkers(),
                "queueCapacity", config.queueCapacity(), "memoryReportIntervalMs", config.memoryReportInterval().toMillis());
        // MAYFLY_MIN_WORKERS are ready before the first task.
        standby.adjust();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    public String id() {
        return id;
    }

    public SupervisorConfig config() {
        return config;
    }

    /**
     * Stores the task as queued (unless it is stored already: a batch's) and queues it for a worker.
     *
     * @return the outcome, once the task has ended and its outcome is stored (or could not be)
     * @throws QueueFullException when the queue is full (nothing is stored then)
     * @throws IllegalStateException when the supervisor is shutting down
     */
    public synchronized CompletableFuture<Settlement> submit(NewTask task) {
        return submit(task, false);
    }

    /** @param stored whether the task is in the store already, queued */
    public synchronized CompletableFuture<Settlement> submit(NewTask task, boolean stored) {
        if (closing) {
            throw new IllegalStateException("the supervisor is shutting down; task not accepted");
        }
        if (slots.getQueue().size() >= config.queueCapacity()) {
            throw new QueueFullException(config.queueCapacity(), active.size());
        }
        if (!stored) {
            store.createTask(task);
        }
        QueuedTask queued = new QueuedTask(task, sequence.incrementAndGet());
        held.add(task.id());
        slots.execute(queued);
        standby.arrived(new StandbyWorkers.Shape(task.request().limits().heapMb(), task.request().workDir()));
        return queued.outcome;
    }

    /** The tasks this supervisor has now: queued, running, or waiting to retry. */
    public Set<String> held() {
        return Set.copyOf(held);
    }

    public SupervisorStats stats() {
        return counters.snapshot(active.size(), slots.getQueue().size(), standby.ready());
    }

    /** Timers still kept: a running task's timeout, a stop's grace period, a retry's delay; none once all have ended. */
    int pendingTimers() {
        return timers.getQueue().size();
    }

    /**
     * A task waiting for a slot; ordered by priority (high first), then by arrival. A retry is a new
     * one of these for the same task, with its next attempt's number and limits.
     */
    private final class QueuedTask implements Runnable, Comparable<QueuedTask> {

        final NewTask task;
        final long order;
        final CompletableFuture<Settlement> outcome;
        final int firstAttempt;
        final int retriesDone;
        /** The largest tree cap a retry may grow to: a few times the first attempt's, within the host. */
        final int maxCapMb;

        QueuedTask(NewTask task, long order) {
            this(task, order, new CompletableFuture<>(), task.continuation().nextAttempt(),
                    task.continuation().retriesDone(), Math.min(config.memory().settings().maxCapMb(),
                            TaskLimits.MAX_GROWTH * task.request().limits().memoryMb()));
        }

        private QueuedTask(NewTask task, long order, CompletableFuture<Settlement> outcome, int firstAttempt,
                int retriesDone, int maxCapMb) {
            this.task = task;
            this.order = order;
            this.outcome = outcome;
            this.firstAttempt = firstAttempt;
            this.retriesDone = retriesDone;
            this.maxCapMb = maxCapMb;
        }

        /** The next try of this task, as it ran ({@code ran}: with the cap it was admitted with), with the retry's limits. */
        QueuedTask next(NewTask ran, RetryPolicy.Retry retry, int nextAttempt) {
            return new QueuedTask(ran.withRequest(ran.request().withLimits(retry.limits())), order, outcome, nextAttempt,
                    retry.number(), maxCapMb);
        }

        @Override
        public int compareTo(QueuedTask other) {
            int byPriority = Integer.compare(other.task.request().priority(), task.request().priority());
            return byPriority != 0 ? byPriority : Long.compare(order, other.order);
        }

        @Override
        public void run() {
            NewTask admitted = closing || cancels.requested(task.id()) ? null
                    : admission.admit(task, () -> closing || cancels.requested(task.id()));
            if (admitted == null) {
                settle(this, cancels.requested(task.id()) ? TaskOutcome.cancelledBeforeStart() : interruptedBeforeStart());
                return;
            }
            AttemptRecorder.Attempt ran = runAttempts(this, admitted);
            Optional<RetryPolicy.Retry> retry = closing ? Optional.empty() : retryPolicy.next(admitted.request().limits(),
                    retriesDone, ran.outcome(), ran.hostLow(), maxCapMb);
            if (retry.isPresent()) {
                scheduleRetry(next(admitted, retry.get(), ran.number() + 1), retry.get());
            } else {
                settle(this, ran.outcome());
            }
        }
    }

    /** Back to the queue after the backoff; meanwhile the task is queued in the store, saying why. */
    private void scheduleRetry(QueuedTask next, RetryPolicy.Retry retry) {
        TaskLimits limits = next.task.request().limits();
        store.retryScheduled(next.task.id(), next.firstAttempt, limits.heapMb(), limits.memoryMb(), retry.delay().toMillis(),
                retry.why(), clock.instant());
        log.info(OrchestratorLog.ENTRY, "Task " + next.task.id() + ": " + retry.why(), "taskId", next.task.id());
        synchronized (this) {
            if (closing) {
                settle(next, interruptedBeforeStart());
                return;
            }
            backingOff.add(next);
        }
        timers.schedule(() -> {
            synchronized (this) {
                if (!backingOff.remove(next)) {
                    return;
                }
                slots.execute(next);
            }
        }, retry.delay().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs the task in as many workers as it takes: a worker that rotated (checkpoint, then exit to
     * give its memory back) is followed by a fresh one from the checkpoint, and so is a worker that
     * crashed after saving one; all within the task's one timeout and the rotation limit.
     */
    private AttemptRecorder.Attempt runAttempts(QueuedTask queued, NewTask task) {
        Instant start = clock.instant();
        Instant deadline = start.plus(task.request().limits().timeout());
        // A task another node was running goes on from its last checkpoint; a retry here starts afresh.
        boolean takenOver = task.continuation().fromCheckpoint() && queued.firstAttempt == task.continuation().nextAttempt();
        String checkpoint = takenOver ? store.latestCheckpoint(task.id()).orElse(null) : null;
        TaskOutcome.Peaks peaks = TaskOutcome.Peaks.NONE;
        int crashRestarts = 0;
        AttemptRecord.Kind kind = queued.firstAttempt == 1 ? AttemptRecord.Kind.FIRST : AttemptRecord.Kind.RETRY;
        for (int attempt = queued.firstAttempt; ; attempt++) {
            String workerId = "worker-" + workerNumbers.incrementAndGet() + "-" + task.id();
            Duration left = Duration.between(clock.instant(), deadline);
            WorkerAttempt worker = new WorkerAttempt(
                    new WorkerAttempt.Context(id, config, store, log, clock, timers, counters, config.memory(), standby), task,
                    workerId, attempt, kind, checkpoint, left.isNegative() ? Duration.ZERO : left);
            active.add(worker);
            TaskOutcome outcome;
            try {
                if (closing) {
                    worker.stop(FailureReason.INTERRUPTED);
                } else if (cancels.requested(task.id())) {
                    worker.cancel();
                }
                outcome = worker.run();
            } finally {
                active.remove(worker);
            }
            peaks = peaks.with(outcome);
            checkpoint = worker.checkpoint();
            boolean rotated = worker.rotated();
            boolean restartable = !rotated && outcome.reason() == FailureReason.CRASHED && checkpoint != null
                    && crashRestarts < MAX_CRASH_RESTARTS;
            int workers = attempt - queued.firstAttempt + 1;
            if ((rotated || restartable) && !closing && !cancels.requested(task.id())) {
                if (rotated && workers > config.maxRotations()) {
                    return new AttemptRecorder.Attempt(outcome.across(elapsedMs(start), peaks, FailureReason.OUT_OF_MEMORY,
                            "the task moved to a fresh worker " + config.maxRotations() + " times (MAYFLY_MAX_ROTATIONS) "
                                    + "and still needs more; raise " + (task.request().agent().resume() != null
                                            ? "--memory-mb" : "--heap-mb")), null, attempt);
                }
                if (!clock.instant().isBefore(deadline)) {
                    return new AttemptRecorder.Attempt(outcome.across(elapsedMs(start), peaks, FailureReason.TIMED_OUT,
                            "the task ran past its timeout across " + workers + " workers"), null, attempt);
                }
                if (rotated) {
                    store.recordRotation(task.id(), attempt + 1, clock.instant());
                    kind = AttemptRecord.Kind.ROTATION;
                } else {
                    crashRestarts++;
                    kind = AttemptRecord.Kind.RESTART;
                    log.warn(OrchestratorLog.SUPERVISOR, "Task " + task.id() + ": worker crashed (" + outcome.error()
                            + "); continuing in a fresh worker from its last checkpoint", "taskId", task.id());
                }
                continue;
            }
            TaskOutcome ended = attempt == queued.firstAttempt ? outcome
                    : outcome.across(elapsedMs(start), peaks, outcome.reason(), outcome.error());
            return new AttemptRecorder.Attempt(ended, worker.breach(), attempt);
        }
    }

    private long elapsedMs(Instant start) {
        return Duration.between(start, clock.instant()).toMillis();
    }

    /**
     * A user cancelled the task: queued or waiting to retry, it ends cancelled now; running, its
     * worker is stopped as at a timeout (cancel, grace period, kill) and it ends cancelled.
     *
     * @return whether this supervisor has the task (it was submitted and has not ended)
     */
    public boolean cancel(String taskId) {
        List<QueuedTask> dropped = new ArrayList<>();
        synchronized (this) {
            for (Runnable waiting : slots.getQueue()) {
                if (((QueuedTask) waiting).task.id().equals(taskId) && slots.remove(waiting)) {
                    dropped.add((QueuedTask) waiting);
                }
            }
            backingOff.removeIf(next -> next.task.id().equals(taskId) && dropped.add(next));
        }
        dropped.forEach(queued -> settle(queued, TaskOutcome.cancelledBeforeStart()));
        for (WorkerAttempt attempt : active) {
            if (attempt.taskId().equals(taskId)) {
                attempt.cancel();
            }
        }
        return !dropped.isEmpty() || held.contains(taskId);
    }

    private void settle(QueuedTask queued, TaskOutcome outcome) {
        cancels.forget(queued.task.id());
        held.remove(queued.task.id());
        standby.adjust();
        String unrecorded = null;
        try {
            unrecorded = outcomes.write(queued.task.id(), outcome);
            counters.ended(outcome);
            String verdict = "Worker " + outcome.state().label() + ": " + queued.task.id() + outcome.why();
            log.info(OrchestratorLog.ENTRY, verdict, "taskId", queued.task.id(), "state", outcome.state().label(),
                    "reason", outcome.reason() == null ? null : outcome.reason().label(),
                    "executionTime", outcome.executionTimeMs(), "memoryPeakMb", outcome.memoryPeakMb());
        } finally {
            queued.outcome.complete(new Settlement(outcome, unrecorded));
        }
    }

    private static TaskOutcome interruptedBeforeStart() {
        return TaskOutcome.failed(FailureReason.INTERRUPTED,
                "the supervisor stopped before the task started");
    }

    /**
     * Shuts down: queued tasks end interrupted, running workers are stopped (cancel, grace period,
     * kill) and their outcomes stored. Safe to call more than once.
     */
    @Override
    public void close() {
        List<Runnable> waiting;
        synchronized (this) {
            if (closing) {
                awaitSlots();
                return;
            }
            closing = true;
            waiting = new ArrayList<>();
            slots.getQueue().drainTo(waiting);
            waiting.addAll(backingOff);
            backingOff.clear();
        }
        config.memory().admission().wake();
        standby.close();
        log.info(OrchestratorLog.ENTRY, "Supervisor cleanup: stopping " + active.size() + " worker(s), "
                + waiting.size() + " queued task(s) interrupted");
        for (Runnable runnable : waiting) {
            settle((QueuedTask) runnable, interruptedBeforeStart());
        }
        for (WorkerAttempt attempt : active) {
            attempt.stop(FailureReason.INTERRUPTED);
        }
        slots.shutdown();
        awaitSlots();
        timers.shutdownNow();
        log.info(OrchestratorLog.ENTRY, "Supervisor cleanup complete", "stats", String.valueOf(stats()));
    }

    private void awaitSlots() {
        try {
            // Grace period for the polite stop, then the kill and the store write.
            if (!slots.awaitTermination(config.gracePeriod().toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
                log.error(OrchestratorLog.SUPERVISOR, "workers did not stop in time; their tasks are settled as "
                        + "interrupted at the next start");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
