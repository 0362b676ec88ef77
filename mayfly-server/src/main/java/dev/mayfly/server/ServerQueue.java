package dev.mayfly.server;

import dev.mayfly.batch.BatchEntry;
import dev.mayfly.batch.BatchFile;
import dev.mayfly.batch.LineRequest;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.memory.MemorySettings;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.routing.Classification;
import dev.mayfly.routing.Mode;
import dev.mayfly.routing.RoutingDecision;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import dev.mayfly.supervisor.OutcomeWriter;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.workflow.StepLauncher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The server's side of the durable queue, which is the store itself: a submitted task is stored
 * queued and unclaimed, with its request, before anyone is told it was accepted; then whichever
 * server node sharing the store has room claims it ({@link TaskStore#claimNext}) and runs it. One
 * node on one machine, or several on one PostgreSQL: the same code. A node claims a worker task only
 * while it has a free worker slot and its host has room for a task to start, so the work spreads
 * over the nodes that can take it; an in-process task, whenever it comes.
 *
 * <p>One thread, {@code mayfly-claim}, claims: at once when this node takes a submission or a task
 * of its own ends, else every {@link #LOOK} (another node's submission waits at most that long for a
 * node that has room). On every heartbeat interval it also settles the tasks of nodes that are gone,
 * so that they run again elsewhere within their lease and one beat, and does what else must be done
 * for them ({@link #everyBeat}: their workflow runs are taken over).
 *
 * <p>It is also where this server's workflow runs send their steps ({@link StepLauncher}): each step
 * is queued like a submitted task, and whichever node claims it runs it; the run waits for its end in
 * the store.
 */
final class ServerQueue implements StepLauncher, AutoCloseable {

    /** How often the store is looked at for work when nothing here wakes the claimer. */
    static final Duration LOOK = Duration.ofMillis(200);

    private final Orchestrator orchestrator;
    private final Executor starter;
    private final Consumer<TaskResult> ended;
    private final OrchestratorLog log;
    private final Clock clock;
    /** The worker tasks this node claimed and that have not ended: its slots in use. */
    private final AtomicInteger workerTasks = new AtomicInteger();
    private final Object wake = new Object();
    private final TaskEnds taskEnds = new TaskEnds();
    /** The tasks whose end someone here waits for (steps of this server's runs, wherever they run). */
    private final Map<String, CompletableFuture<TaskResult>> awaited = new ConcurrentHashMap<>();
    private final List<Runnable> beats = new CopyOnWriteArrayList<>();
    private final Thread claimer;
    private volatile boolean closed;
    private boolean woken;

    /** @param ended told how each task it started ended (the metrics) */
    ServerQueue(Orchestrator orchestrator, Executor starter, Consumer<TaskResult> ended, OrchestratorLog log,
            Clock clock) {
        this.orchestrator = orchestrator;
        this.starter = starter;
        this.ended = ended;
        this.log = log;
        this.clock = clock;
        this.claimer = new Thread(this::claimUntilClosed, "mayfly-claim");
        claimer.setDaemon(true);
        claimer.start();
    }

    /**
     * Checks a task's fields as a batch line's and stores it queued, for a node to claim; returns it
     * as stored.
     *
     * @param workDir the folder the agent works in
     */
    NewTask submit(Map<String, Object> fields, Path workDir) {
        BatchEntry entry = BatchFile.task(fields, orchestrator.settings(), workDir);
        orchestrator.checkDiskFree("the task");
        NewTask task = orchestrator.prepare(entry.request(), entry.workers(), null);
        orchestrator.store().createServerTask(task, LineRequest.toJson(entry.stored(task), folderInRuns(task)));
        log.info(OrchestratorLog.ENTRY, "Task " + task.id() + " submitted over HTTP", "taskId", task.id());
        wake();
        return task;
    }

    @Override
    public CompletableFuture<TaskResult> launch(TaskRequest request, Boolean workers, Path folder,
            Consumer<String> created) {
        orchestrator.checkDiskFree("the task");
        NewTask task = orchestrator.prepare(request, workers, folder);
        orchestrator.store().createServerTask(task, LineRequest.toJson(new BatchEntry(0, request, workers).stored(task),
                folderInRuns(task)));
        created.accept(task.id());
        return await(task.id());
    }

    @Override
    public CompletableFuture<TaskResult> await(String taskId) {
        CompletableFuture<TaskResult> ended = new CompletableFuture<>();
        awaited.put(taskId, ended);
        wake();
        return ended;
    }

    @Override
    public int parallelSteps(int maxWorkers) {
        return Integer.MAX_VALUE;
    }

    /** Where the task's folder is within this node's runs folder; null when it is elsewhere. */
    private Path folderInRuns(NewTask task) {
        Path runs = orchestrator.settings().runsDir().toAbsolutePath().normalize();
        Path folder = task.logPath().toAbsolutePath().normalize().getParent();
        return folder.startsWith(runs) ? runs.relativize(folder) : null;
    }

    /** Also done on every beat, after the tasks of nodes that are gone are settled. */
    void everyBeat(Runnable work) {
        beats.add(work);
    }

    /** Completes the waits for tasks that have ended, wherever they ran, with how they ended as stored. */
    private void endAwaited() {
        for (Map.Entry<String, CompletableFuture<TaskResult>> wait : awaited.entrySet()) {
            orchestrator.store().findTask(wait.getKey()).filter(task -> task.state().terminal()).ifPresent(task -> {
                awaited.remove(task.id());
                wait.getValue().complete(new TaskResult(task.id(), routing(task), task.outcome(), null));
            });
        }
    }

    /** The routing a stored task had. */
    private static RoutingDecision routing(TaskRecord task) {
        return new RoutingDecision(task.mode(), new Classification(task.longRunning(), task.complexity(),
                task.routingReason()), task.routingReason(), task.mode() == Mode.WORKER);
    }

    private void wake() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    /** The claimer's loop; every failure is logged once while it lasts, and the loop goes on. */
    private void claimUntilClosed() {
        long settleEvery = orchestrator.settings().heartbeat().toNanos();
        long nextSettle = System.nanoTime();
        boolean failing = false;
        while (!closed) {
            try {
                if (System.nanoTime() - nextSettle >= 0) {
                    orchestrator.settleLost();
                    beats.forEach(Runnable::run);
                    nextSettle = System.nanoTime() + settleEvery;
                }
                claimWhileRoom();
                endAwaited();
                if (failing) {
                    log.info(OrchestratorLog.SUPERVISOR, "The store answers again: claiming work");
                    failing = false;
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn(OrchestratorLog.SUPERVISOR, "Could not claim work from the store (" + e.getMessage()
                            + "); trying again every " + LOOK.toMillis() + " ms");
                }
                failing = true;
            }
            pause();
        }
    }

    private void pause() {
        synchronized (wake) {
            if (!woken && !closed) {
                try {
                    wake.wait(LOOK.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = true;
                }
            }
            woken = false;
        }
    }

    private void claimWhileRoom() {
        while (!closed && orchestrator.holdsLease()) {
            Optional<TaskStore.Claim> claim = orchestrator.store().claimNext(orchestrator.supervisorId(),
                    workerSlotFree(), clock.instant());
            if (claim.isEmpty()) {
                return;
            }
            start(claim.get());
        }
    }

    /** A free worker slot, on a host with room for a task to start (the rest is admitted as the task starts). */
    private boolean workerSlotFree() {
        return workerTasks.get() < orchestrator.settings().maxWorkers()
                && orchestrator.memory().admission().grant(MemorySettings.MIN_DEFAULT_START_MB, false) > 0;
    }

    /** An in-process task runs in the starter's thread; a worker task waits in the supervisor's queue. */
    private void start(TaskStore.Claim claim) {
        BatchEntry entry = LineRequest.fromJson(0, claim.requestJson());
        NewTask task = orchestrator.prepareClaimed(claim.task(), entry.request(), entry.workers(), claim.retriesDone(),
                LineRequest.folderInRuns(claim.requestJson()).orElse(null));
        if (!task.logPath().toString().equals(claim.task().logPath())) {
            orchestrator.store().recordLogPath(task.id(), task.logPath().toString());
        }
        boolean worker = task.routing().mode() == Mode.WORKER;
        if (worker) {
            workerTasks.incrementAndGet();
        }
        log.info(OrchestratorLog.ENTRY, "Task " + task.id() + " claimed (claim " + claim.number() + ")"
                + (task.continuation().nextAttempt() > 1 ? ", attempt " + task.continuation().nextAttempt() : ""),
                "taskId", task.id());
        starter.execute(() -> {
            try {
                orchestrator.startStored(task).whenComplete((result, failure) -> {
                    if (worker) {
                        workerTasks.decrementAndGet();
                    }
                    taskEnds.ended();
                    wake();
                    if (result != null) {
                        ended.accept(result);
                    }
                });
            } catch (RuntimeException e) {
                if (worker) {
                    workerTasks.decrementAndGet();
                }
                // It was accepted, so it gets an outcome.
                String why = "not started: " + e.getMessage();
                new OutcomeWriter(orchestrator.store(), log, clock).write(task.id(),
                        TaskOutcome.failed(FailureReason.ERROR, why));
                taskEnds.ended();
                log.warn(OrchestratorLog.ENTRY, "Task " + task.id() + " " + why, "taskId", task.id());
            }
        });
    }

    /** The ends of the tasks this queue started, for the streams that follow them. */
    TaskEnds taskEnds() {
        return taskEnds;
    }

    /** Claims nothing more; the tasks it started are stopped by the orchestrator's owner. */
    @Override
    public void close() {
        closed = true;
        wake();
        try {
            claimer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
