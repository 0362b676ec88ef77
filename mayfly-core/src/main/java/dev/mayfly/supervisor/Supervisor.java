package dev.mayfly.supervisor;

import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.TaskStore;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs tasks in worker JVMs: at most {@code maxWorkers} at once, the rest waiting in a bounded
 * queue, higher priority first, then first come first served.
 *
 * <p>Threads: {@code mayfly-slot-N} (one per worker slot) run attempts from start to stored
 * outcome; {@code mayfly-timers} fires timeouts, forced stops and connect deadlines. Shutdown
 * ({@link #close}): refuse new tasks, settle the queued ones as interrupted, stop the running ones
 * (cancel, grace, kill), wait for their outcomes to be stored.
 */
public final class Supervisor implements AutoCloseable {

    private final String id;
    private final SupervisorConfig config;
    private final TaskStore store;
    private final OrchestratorLog log;
    private final Clock clock;
    private final SupervisorCounters counters = new SupervisorCounters();
    private final ThreadPoolExecutor slots;
    private final ScheduledExecutorService timers;
    private final Set<WorkerAttempt> active = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    /** A crash after a checkpoint is retried from it this often; a crash without one is final. */
    static final int MAX_CRASH_RESTARTS = 2;
    private final AtomicInteger workerNumbers = new AtomicInteger();
    private volatile boolean closing;

    public Supervisor(String id, SupervisorConfig config, TaskStore store, OrchestratorLog log, Clock clock) {
        this.id = id;
        this.config = config;
        this.store = store;
        this.log = log;
        this.clock = clock;
        AtomicInteger slotNumbers = new AtomicInteger();
        this.slots = new ThreadPoolExecutor(config.maxWorkers(), config.maxWorkers(), 0, TimeUnit.MILLISECONDS,
                new PriorityBlockingQueue<>(), runnable -> daemon(runnable, "mayfly-slot-" + slotNumbers.incrementAndGet()));
        // Every slot thread exists up front, so every task passes through the priority queue.
        this.slots.prestartAllCoreThreads();
        this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "mayfly-timers"));
        log.info(OrchestratorLog.SUPERVISOR, "Supervisor initialized", "maxWorkers", config.maxWorkers(),
                "queueCapacity", config.queueCapacity(), "memoryReportIntervalMs", config.memoryReportInterval().toMillis());
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
     * Stores the task as queued and queues it for a worker.
     *
     * @return the outcome, once the task has ended and its outcome is stored
     * @throws QueueFullException when the queue is full (nothing is stored then)
     * @throws IllegalStateException when the supervisor is shutting down
     */
    public synchronized CompletableFuture<TaskOutcome> submit(NewTask task) {
        if (closing) {
            throw new IllegalStateException("the supervisor is shutting down; task not accepted");
        }
        if (slots.getQueue().size() >= config.queueCapacity()) {
            throw new QueueFullException(config.queueCapacity(), active.size());
        }
        store.createTask(task);
        QueuedTask queued = new QueuedTask(task, sequence.incrementAndGet());
        slots.execute(queued);
        return queued.outcome;
    }

    public SupervisorStats stats() {
        return counters.snapshot(active.size(), slots.getQueue().size());
    }

    /** A task waiting for a slot; ordered by priority (high first), then by arrival. */
    private final class QueuedTask implements Runnable, Comparable<QueuedTask> {

        final NewTask task;
        final long order;
        final CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();

        QueuedTask(NewTask task, long order) {
            this.task = task;
            this.order = order;
        }

        @Override
        public int compareTo(QueuedTask other) {
            int byPriority = Integer.compare(other.task.request().priority(), task.request().priority());
            return byPriority != 0 ? byPriority : Long.compare(order, other.order);
        }

        @Override
        public void run() {
            if (closing) {
                settle(this, interruptedBeforeStart());
                return;
            }
            settle(this, runAttempts(task));
        }
    }

    /**
     * Runs the task in as many workers as it takes: a worker that rotated (checkpoint, then exit to
     * give its memory back) is followed by a fresh one from the checkpoint, and so is a worker that
     * crashed after saving one; all within the task's one timeout and the rotation limit.
     */
    private TaskOutcome runAttempts(NewTask task) {
        Instant start = clock.instant();
        Instant deadline = start.plus(task.request().limits().timeout());
        String checkpoint = null;
        double heapPeak = 0;
        double rssPeak = -1;
        int crashRestarts = 0;
        for (int attempt = 1; ; attempt++) {
            String workerId = "worker-" + workerNumbers.incrementAndGet() + "-" + task.id();
            Duration left = Duration.between(clock.instant(), deadline);
            WorkerAttempt worker = new WorkerAttempt(
                    new WorkerAttempt.Context(id, config, store, log, clock, timers, counters), task, workerId, attempt,
                    checkpoint, left.isNegative() ? Duration.ZERO : left);
            active.add(worker);
            TaskOutcome outcome;
            try {
                if (closing) {
                    worker.stop(FailureReason.INTERRUPTED);
                }
                outcome = worker.run();
            } finally {
                active.remove(worker);
            }
            heapPeak = Math.max(heapPeak, outcome.memoryPeakMb());
            rssPeak = Math.max(rssPeak, outcome.rssPeakMb());
            checkpoint = worker.checkpoint();
            boolean rotated = worker.rotated();
            boolean restartable = !rotated && outcome.reason() == FailureReason.CRASHED && checkpoint != null
                    && crashRestarts < MAX_CRASH_RESTARTS;
            if ((rotated || restartable) && !closing) {
                if (rotated && attempt > config.maxRotations()) {
                    return outcome.across(elapsedMs(start), heapPeak, rssPeak, FailureReason.OUT_OF_MEMORY,
                            "the task moved to a fresh worker " + config.maxRotations() + " times (MAYFLY_MAX_ROTATIONS) "
                                    + "and still needs more; raise --heap-mb");
                }
                if (!clock.instant().isBefore(deadline)) {
                    return outcome.across(elapsedMs(start), heapPeak, rssPeak, FailureReason.TIMED_OUT,
                            "the task ran past its timeout across " + attempt + " workers");
                }
                if (rotated) {
                    store.recordRotation(task.id(), attempt + 1, clock.instant());
                } else {
                    crashRestarts++;
                    log.warn(OrchestratorLog.SUPERVISOR, "Task " + task.id() + ": worker crashed (" + outcome.error()
                            + "); continuing in a fresh worker from its last checkpoint", "taskId", task.id());
                }
                continue;
            }
            return attempt == 1 ? outcome : outcome.across(elapsedMs(start), heapPeak, rssPeak, outcome.reason(),
                    outcome.error());
        }
    }

    private long elapsedMs(Instant start) {
        return Duration.between(start, clock.instant()).toMillis();
    }

    private void settle(QueuedTask queued, TaskOutcome outcome) {
        try {
            store.finish(queued.task.id(), outcome, clock.instant());
            counters.ended(outcome);
            String verdict = outcome.reason() == null ? "Worker completed: " + queued.task.id()
                    : "Worker failed: " + queued.task.id() + " (" + outcome.reason().label() + ": " + outcome.error() + ")";
            log.info(OrchestratorLog.ENTRY, verdict, "taskId", queued.task.id(), "state", outcome.state().label(),
                    "reason", outcome.reason() == null ? null : outcome.reason().label(),
                    "executionTime", outcome.executionTimeMs(), "memoryPeakMb", outcome.memoryPeakMb());
        } catch (RuntimeException e) {
            log.error(OrchestratorLog.SUPERVISOR, "could not record the outcome of task " + queued.task.id() + ": " + e,
                    "taskId", queued.task.id());
        } finally {
            queued.outcome.complete(outcome);
        }
    }

    private static TaskOutcome interruptedBeforeStart() {
        return TaskOutcome.failed(FailureReason.INTERRUPTED, null, 0, 0, -1,
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
        }
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
