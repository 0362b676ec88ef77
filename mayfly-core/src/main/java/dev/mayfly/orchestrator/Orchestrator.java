package dev.mayfly.orchestrator;

import dev.mayfly.config.Profile;
import dev.mayfly.config.Settings;
import dev.mayfly.errors.MayflyException;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.memory.HostMemory;
import dev.mayfly.memory.JobMemory;
import dev.mayfly.memory.LinuxHostMemory;
import dev.mayfly.process.ProcFs;
import dev.mayfly.routing.Mode;
import dev.mayfly.routing.Router;
import dev.mayfly.routing.RoutingDecision;
import dev.mayfly.routing.TaskClassifier;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.RowIds;
import dev.mayfly.store.Stores;
import dev.mayfly.store.SupervisorRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import dev.mayfly.supervisor.DaemonTimers;
import dev.mayfly.supervisor.OutcomeWriter;
import dev.mayfly.supervisor.SessionRotation;
import dev.mayfly.supervisor.Supervisor;
import dev.mayfly.supervisor.SupervisorConfig;
import dev.mayfly.supervisor.SupervisorStats;
import dev.mayfly.task.CancelRequests;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.Settlement;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The seeds' orchestrator entry: routes each task (worker or in-process), records it, runs it,
 * and cleans up at the end. One per process; its worker {@link Supervisor} is created on first use.
 */
public final class Orchestrator implements AutoCloseable {

    /** How often the store is looked at for cancels: a cancelled task stops within about this long. */
    public static final Duration CANCEL_LOOK = Duration.ofMillis(250);

    /**
     * How long after its start a supervisor opens its control endpoint. Only other processes use it, and
     * until then they reach the supervisor through the store; a short {@code mayfly run} is over by then
     * and never pays for it: its HTTP server, thread and secure random took 33 ms of a 446 ms run on two
     * cores (docs/benchmarks.md, "The command line").
     */
    static final Duration CONTROL_OPENING = Duration.ofSeconds(1);
    /** How long a cancel told through the control endpoint waits for its turn on the chores thread. */
    private static final Duration CONTROL_WAIT = Duration.ofSeconds(1);
    private static final long MB = 1024 * 1024;
    /** How long, past the grace period, a supervisor that lost its lease waits for its stopped tasks to end. */
    private static final Duration LEFTOVER_WAIT = Duration.ofSeconds(10);

    private final Settings settings;
    private final TaskStore store;
    private final OrchestratorLog log;
    private final Clock clock;
    private final String supervisorId;
    private final Router router;
    private final InProcessRunner inProcess;
    private final JobMemory memory;
    private final CancelRequests cancels = new CancelRequests();
    /** The supervisor's small repeated jobs on one daemon thread: its heartbeat, its look for cancels. */
    private final ScheduledExecutorService chores = DaemonTimers.start("mayfly-supervisor-chores");
    /** Opened on the chores thread {@link #CONTROL_OPENING} after the start; null until then, or if it could not. */
    private volatile ControlEndpoint control;
    /** Set while this supervisor, having found its lease lost, stops what it ran; it claims nothing then. */
    private volatile boolean leaseLost;
    private Supervisor supervisor;
    /** Whether tasks keep arriving here: see {@link #serving()}. */
    private boolean serving;
    private boolean closed;
    private boolean storeClosed;

    private Orchestrator(Settings settings, TaskStore store, OrchestratorLog log, Clock clock, String supervisorId,
            JobMemory memory) {
        this.settings = settings;
        this.store = store;
        this.log = log;
        this.clock = clock;
        this.supervisorId = supervisorId;
        this.memory = memory;
        this.router = new Router(new TaskClassifier(settings.longKeywords(), settings.shortKeywords()));
        this.inProcess = new InProcessRunner(new InProcessRunner.Setup(store, log, clock, settings.gracePeriod(),
                supervisorId, memory, settings.retry().delay(), settings.disk().taskLogMaxBytes(),
                SessionRotation.Rules.of(settings), settings.maxRotations(), cancels));
        // Last, once every field is set: the chores thread uses them.
        chores.schedule(this::openControl, CONTROL_OPENING.toMillis(), TimeUnit.MILLISECONDS);
        Heartbeat.schedule(chores, store, supervisorId, settings.heartbeat(), clock, log, this::liveFigures,
                this::rejoinAfterLostLease);
        chores.scheduleWithFixedDelay(this::lookForCancels, CANCEL_LOOK.toMillis(), CANCEL_LOOK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Opens the store, records this process as a supervisor, and settles the tasks that supervisors
     * which are gone left running (ending whatever of their processes is still there).
     */
    public static Orchestrator start(Settings settings, OrchestratorLog log, Clock clock) {
        return start(settings, log, clock, LinuxHostMemory.ofThisProcess());
    }

    /** @param hostMemory the host's memory, as admission and the host floor see it (a test sets its own) */
    public static Orchestrator start(Settings settings, OrchestratorLog log, Clock clock, HostMemory hostMemory) {
        JobMemory memory = JobMemory.start(settings.memory(), hostMemory, settings.memoryReportInterval(), log, clock);
        TaskStore store = Stores.open(settings, clock);
        ProcessHandle self = ProcessHandle.current();
        Instant now = clock.instant();
        String id = "supervisor-" + now.toEpochMilli() + "-" + self.pid();
        log.supervisorId(id);
        try {
            String host = SupervisorLiveness.thisHost();
            store.registerSupervisor(SupervisorRecord.starting(id, host, self.pid(),
                    self.info().startInstant().orElse(null), now, settings.heartbeat()));
            LostSupervisors.settle(store, log, id, clock);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        log.debug(OrchestratorLog.ENTRY, "Settings", "settings", settings.toString(), "pid", self.pid(),
                "java", Runtime.version().toString());
        if (settings.profile() == Profile.PRODUCTION
                && !Profile.PRODUCTION.label().equals(System.getProperty(Profile.APPLIED_PROPERTY))) {
            log.warn(OrchestratorLog.ENTRY, "Profile production: its worker options apply, but this supervisor JVM was "
                    + "started without its own (start it with ./mayfly, or see docs/production.md)");
        }
        if (!settings.useWorkers()) {
            log.info(OrchestratorLog.ENTRY, "Worker pattern disabled (USE_WORKERS=false)");
        }
        return new Orchestrator(settings, store, log, clock, id, memory);
    }

    /**
     * Settles the tasks of supervisors that are gone (see {@link TaskStore#settleOrphans}): at every
     * start, and on every beat of a server node, which shares the store with other nodes.
     */
    public void settleLost() {
        LostSupervisors.settle(store, log, supervisorId, clock);
    }

    /** Whether this supervisor may claim work: false while it recovers from a lost lease. */
    public boolean holdsLease() {
        return !leaseLost;
    }

    /**
     * Another node found this one's lease expired and settled its tasks: they run again elsewhere, or
     * have ended. What this supervisor still runs of them is stopped (their results are refused by the
     * store, and recorded as such), then it rejoins: it beats again and claims anew. On the chores thread.
     */
    private void rejoinAfterLostLease() {
        leaseLost = true;
        Supervisor workers;
        synchronized (this) {
            workers = supervisor;
        }
        Set<String> held = new HashSet<>(inProcess.held());
        if (workers != null) {
            held.addAll(workers.held());
        }
        log.error(OrchestratorLog.SUPERVISOR, "This supervisor lost its lease: no heartbeat of it was recorded for "
                + "longer than " + SupervisorLiveness.MISSED_BEATS + " beats of " + settings.heartbeat().toMillis() + " ms, "
                + "and another node settled its tasks. Stopping the " + held.size() + " task(s) it still runs here "
                + "(their results will be refused), then rejoining", "tasks", List.copyOf(held));
        for (String taskId : held) {
            boolean stopping = inProcess.cancel(taskId) | (workers != null && workers.cancel(taskId));
            log.debug(OrchestratorLog.SUPERVISOR, "Task " + taskId + (stopping ? ": stopping" : ": ended already"),
                    "taskId", taskId);
        }
        long deadline = System.nanoTime() + settings.gracePeriod().plus(LEFTOVER_WAIT).toNanos();
        while (System.nanoTime() < deadline && (!inProcess.held().isEmpty() || workers != null && !workers.held().isEmpty())) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        store.rejoin(supervisorId, clock.instant());
        leaseLost = false;
        log.info(OrchestratorLog.SUPERVISOR, "Rejoined: this supervisor beats and claims work again");
    }

    /** How this process measures, caps and contains its tasks' memory. */
    public JobMemory memory() {
        return memory;
    }

    public String supervisorId() {
        return supervisorId;
    }

    public TaskStore store() {
        return store;
    }

    public Settings settings() {
        return settings;
    }

    /** Where the task would run, and why, without running it. */
    public RoutingDecision route(TaskRequest request) {
        return route(request, null);
    }

    private RoutingDecision route(TaskRequest request, Boolean workers) {
        return router.route(request.prompt(), request.complexity(), workers != null ? workers : settings.useWorkers());
    }

    /** Routes, records and runs one task, and waits for its end. */
    public TaskResult run(TaskRequest request) {
        CompletableFuture<TaskResult> pending = submit(request);
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MayflyException("interrupted while waiting for the task", e);
        } catch (ExecutionException e) {
            throw new MayflyException("task failed in Mayfly itself: " + e.getCause(), e.getCause());
        }
    }

    /** Routes and records a task; a worker task is queued, an in-process one runs before this returns. */
    public CompletableFuture<TaskResult> submit(TaskRequest request) {
        return submit(request, null);
    }

    /**
     * Like {@link #submit(TaskRequest)}, with the feature flag decided for this task alone.
     *
     * @param workers true or false to override {@code USE_WORKERS} for this task, null to follow it
     */
    public CompletableFuture<TaskResult> submit(TaskRequest request, Boolean workers) {
        return submit(request, workers, null, taskId -> { });
    }

    /**
     * Like {@link #submit(TaskRequest, Boolean)}, for a step of a workflow run.
     *
     * @param folder the task's folder (its log and artifacts), or null for {@code $MAYFLY_HOME/runs/<taskId>}
     * @param created told the task's id as soon as the task is stored, before it ends
     */
    public CompletableFuture<TaskResult> submit(TaskRequest request, Boolean workers, Path folder,
            Consumer<String> created) {
        checkDiskFree("the task");
        return start(prepare(request, workers, folder), false, created);
    }

    /**
     * Refuses work below the disk reserve (MAYFLY_DISK_RESERVE_MB): checked before a task is accepted,
     * before a batch stores its lines, and before each stored line starts.
     *
     * @param what what is refused, for the message: "the task", "the batch"
     * @throws MayflyException naming the folder, the free space and the reserve
     */
    public void checkDiskFree(String what) {
        DiskSpace.checkFree(settings.home(), settings.disk().reserveMb(), what);
    }

    /**
     * Routes and names a task without storing it: a batch stores all of its tasks at once, then
     * starts each with {@link #startStored}.
     *
     * @param folder the task's folder, or null for {@code $MAYFLY_HOME/runs/<taskId>}
     */
    public NewTask prepare(TaskRequest request, Boolean workers, Path folder) {
        RoutingDecision routing = route(request, workers);
        String taskId = newTaskId();
        Path taskFolder = folder != null ? folder : settings.runsDir().resolve(taskId);
        return new NewTask(taskId, supervisorId, request, routing, taskFolder.resolve(NewTask.LOG_FILE), clock.instant());
    }

    /**
     * A server's task this supervisor claimed from the store: the same id, folder and creation time,
     * routed again as it was asked; one that a lost node had started goes on with its next attempt.
     *
     * @param retriesDone the retries it had, on any node
     * @param folderInRuns where its folder is within the runs folder (then it is made in this node's),
     *     or null to keep the folder it was stored with
     */
    public NewTask prepareClaimed(TaskRecord stored, TaskRequest request, Boolean workers, int retriesDone,
            Path folderInRuns) {
        NewTask.Continuation continuation = stored.attempts() > 1
                ? new NewTask.Continuation(stored.attempts(), retriesDone, true) : NewTask.Continuation.FIRST;
        Path logPath = folderInRuns == null ? Path.of(stored.logPath())
                : settings.runsDir().resolve(folderInRuns).resolve(NewTask.LOG_FILE);
        return new NewTask(stored.id(), supervisorId, request, route(request, workers), logPath, stored.createdAt(),
                continuation);
    }

    /**
     * Starts a task stored already as queued (a batch's). One that cannot start (the disk is below its
     * reserve) ends at once, failed, with why: it was accepted, so it gets an outcome.
     */
    public CompletableFuture<TaskResult> startStored(NewTask task) {
        try {
            checkDiskFree("the task");
        } catch (MayflyException e) {
            TaskOutcome outcome = TaskOutcome.failed(FailureReason.ERROR, "not started: " + e.getMessage());
            String unrecorded = new OutcomeWriter(store, log, clock).write(task.id(), outcome);
            return CompletableFuture.completedFuture(new TaskResult(task.id(), task.routing(), outcome, unrecorded));
        }
        return start(task, true, taskId -> { });
    }

    /** @param stored whether the task is in the store already (a batch's), or is stored now */
    private CompletableFuture<TaskResult> start(NewTask task, boolean stored, Consumer<String> created) {
        String taskId = task.id();
        RoutingDecision routing = task.routing();
        if (routing.mode() == Mode.WORKER) {
            Supervisor pool = supervisor();
            log.info(OrchestratorLog.ENTRY, "Using worker pattern for long-running task (" + routing.classification().reason() + ")",
                    "taskId", taskId, "mode", routing.mode().label(), "reason", routing.reason());
            log.info(OrchestratorLog.ENTRY, "Spawning worker for task " + taskId, "taskId", taskId);
            CompletableFuture<Settlement> outcome = pool.submit(task, stored);
            created.accept(taskId);
            return outcome.thenApply(ended -> new TaskResult(taskId, routing, ended.outcome(), ended.unrecorded()));
        }
        log.info(OrchestratorLog.ENTRY, routing.workersOn()
                        ? "Using legacy in-process execution (task is short-running: " + routing.classification().reason() + ")"
                        : "Using legacy in-process execution (worker pattern disabled)",
                "taskId", taskId, "mode", routing.mode().label(), "reason", routing.reason());
        try {
            Settlement settled = inProcess.run(task, stored, () -> created.accept(taskId));
            TaskOutcome outcome = settled.outcome();
            log.info(OrchestratorLog.ENTRY, "Task " + outcome.state().label() + ": " + taskId + outcome.why(),
                    "taskId", taskId, "state", outcome.state().label());
            return CompletableFuture.completedFuture(new TaskResult(taskId, routing, outcome, settled.unrecorded()));
        } catch (IOException e) {
            throw new MayflyException("cannot prepare task " + taskId + "'s folder: " + e.getMessage(), e);
        }
    }

    /**
     * Says that tasks keep arriving here (a server): workers are then started ahead of them as the
     * demand of the last {@code MAYFLY_STANDBY_IDLE} says, and with {@code MAYFLY_MIN_WORKERS} the
     * worker supervisor starts now, so that they are ready for the first task. A one-shot command
     * does not call it: no task comes after its own.
     */
    public void serving() {
        synchronized (this) {
            serving = true;
        }
        if (settings.standby().minWorkers() > 0) {
            supervisor();
        }
    }

    /** The worker supervisor: the same one for the whole process, created on first call. */
    public synchronized Supervisor supervisor() {
        if (closed) {
            throw new IllegalStateException("the orchestrator is closed");
        }
        if (supervisor == null) {
            log.info(OrchestratorLog.ENTRY, "Initializing worker supervisor");
            supervisor = new Supervisor(supervisorId, SupervisorConfig.from(settings, memory, serving), store, log, clock,
                    cancels);
            log.info(OrchestratorLog.ENTRY, "Supervisor initialized successfully", "maxWorkers", settings.maxWorkers(),
                    "heapLimit", settings.heapMb());
        }
        return supervisor;
    }

    /**
     * Carries out the cancels users asked for in the store ({@code mayfly cancel}, from any process):
     * each task of this supervisor that has one stops, and ends cancelled. A store that cannot be
     * read now is looked at again at the next turn.
     */
    private List<String> lookForCancels() {
        List<String> asked;
        try {
            asked = store.cancelRequests(supervisorId);
        } catch (RuntimeException e) {
            return List.of();
        }
        for (String taskId : asked) {
            if (!cancels.request(taskId)) {
                continue;
            }
            log.info(OrchestratorLog.ENTRY, "Task " + taskId + ": cancel requested; stopping it", "taskId", taskId);
            Supervisor workers;
            synchronized (this) {
                workers = supervisor;
            }
            boolean held = inProcess.cancel(taskId) | (workers != null && workers.cancel(taskId));
            if (!held) {
                // Stored and not started yet (a batch's later line): it ends now; when its turn comes it does not run.
                new OutcomeWriter(store, log, clock).write(taskId, TaskOutcome.cancelledBeforeStart());
            }
        }
        return asked;
    }

    /**
     * Opens this supervisor's control endpoint and records it in the store. Without one, cancels
     * still reach this supervisor through the store, and {@code mayfly top} shows its tasks from there.
     */
    private void openControl() {
        ControlEndpoint opened;
        try {
            opened = ControlEndpoint.open(new ControlEndpoint.Supervising() {
                @Override
                public Map<String, Object> figures() {
                    return liveFigures();
                }

                @Override
                public List<String> lookForCancels() {
                    // On the chores thread, as the regular look: one look at a time.
                    try {
                        return chores.submit(Orchestrator.this::lookForCancels).get(CONTROL_WAIT.toMillis(),
                                TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new MayflyException("interrupted while looking for cancels", e);
                    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
                        throw new MayflyException("could not look for cancels now (" + e + "); the next look is "
                                + "within " + CANCEL_LOOK.toMillis() + " ms", e);
                    }
                }
            });
        } catch (IOException e) {
            log.warn(OrchestratorLog.SUPERVISOR, "No control endpoint for this supervisor (" + e.getMessage() + "): "
                    + "cancels reach it through the store, within " + CANCEL_LOOK.toMillis() + " ms");
            return;
        }
        control = opened;
        try {
            store.recordControl(supervisorId, opened.address());
            log.debug(OrchestratorLog.SUPERVISOR, "Control endpoint at " + opened.address().url(), "url",
                    opened.address().url());
        } catch (RuntimeException e) {
            log.warn(OrchestratorLog.SUPERVISOR, "Could not record this supervisor's control endpoint: " + e.getMessage());
        }
    }

    /**
     * This supervisor's figures now, as only it knows them: its worker pool, its queue, the tasks it
     * runs in-process, its own heap and resident memory. Its control endpoint serves them to
     * {@code mayfly top}, and a server's telemetry includes them.
     */
    public Map<String, Object> liveFigures() {
        Supervisor workers;
        synchronized (this) {
            workers = supervisor;
        }
        SupervisorStats stats = workers == null ? null : workers.stats();
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("size", settings.maxWorkers());
        pool.put("active", stats == null ? 0 : stats.active());
        pool.put("queued", stats == null ? 0 : stats.queued());
        pool.put("spawned", stats == null ? 0 : stats.spawned());
        pool.put("connected", stats == null ? 0 : stats.connected());
        pool.put("spawnSuccessRate", stats == null || stats.spawned() == 0 ? null
                : (double) stats.connected() / stats.spawned());
        pool.put("min", settings.standby().minWorkers());
        pool.put("ready", stats == null ? 0 : stats.ready());
        pool.put("foundReady", stats == null ? 0 : stats.foundReady());
        pool.put("startedCold", stats == null ? 0 : stats.startedCold());
        pool.put("readyRate", stats == null ? null : stats.readyRate());
        long pid = ProcessHandle.current().pid();
        ProcFs.Resident resident = ProcFs.system().resident(pid);
        Runtime runtime = Runtime.getRuntime();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("supervisorId", supervisorId);
        figures.put("pid", pid);
        figures.put("pool", pool);
        figures.put("inProcessRunning", inProcess.running());
        figures.put("residentMb", resident == null ? null : resident.rssKb() / 1024.0);
        figures.put("heapUsedMb", (runtime.totalMemory() - runtime.freeMemory()) / MB);
        figures.put("heapMaxMb", runtime.maxMemory() / MB);
        return figures;
    }

    /** Whether the worker supervisor has been created (it is only when a task needs it). */
    public synchronized boolean supervisorStarted() {
        return supervisor != null;
    }

    private String newTaskId() {
        return RowIds.next("task", clock);
    }

    /**
     * Cleans up: stops workers (polite, then forced) and in-process tasks, records their tasks as
     * interrupted, marks this supervisor stopped and closes the store. Safe to call twice.
     */
    @Override
    public void close() {
        stopTasks();
        synchronized (this) {
            if (storeClosed) {
                return;
            }
            storeClosed = true;
        }
        chores.shutdownNow();
        try {
            chores.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // After the chores thread has ended: it opens the endpoint, so none is opened after this.
        ControlEndpoint opened = control;
        if (opened != null) {
            opened.close();
        }
        try {
            store.markSupervisorStopped(supervisorId, clock.instant());
        } catch (MayflyException e) {
            // A store that cannot be written any more (deleted, replaced, full) still gets closed; the
            // supervisor row, once readable again, is settled by its liveness check.
            log.warn(OrchestratorLog.ENTRY, "Could not record this supervisor's stop: " + e.getMessage());
        } finally {
            store.close();
        }
        log.info(OrchestratorLog.ENTRY, "Cleanup complete: store closed");
    }

    /**
     * The first half of {@link #close}: stops the workers and in-process tasks and records their
     * tasks as interrupted, but leaves the store open, so that whoever waits on those tasks (a
     * workflow run) can still record how it ended. Safe to call more than once.
     */
    public void stopTasks() {
        Supervisor workers;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            workers = supervisor;
        }
        if (workers != null) {
            workers.close();
        }
        inProcess.stopAll();
    }
}
