package dev.mayfly.supervisor;

import dev.mayfly.agent.AgentOutcome;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.memory.JobMemory;
import dev.mayfly.memory.JobReading;
import dev.mayfly.memory.MemoryBreach;
import dev.mayfly.process.JobLaunch;
import dev.mayfly.process.ProcessTree;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.TaskStore;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.worker.Channel;
import dev.mayfly.worker.ChannelMessage;
import dev.mayfly.worker.MemorySample;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One task in one fresh worker JVM, from start to recorded outcome. {@link #run()} runs on a pool
 * thread and blocks until the worker is gone; {@link #stop} may be called from any thread.
 *
 * <p>Order of events: open a loopback port → start the JVM (before it knows its task) with the
 * port and a secret → it connects and says hello with the secret → the task is marked running and sent → memory reports, progress, result → the JVM
 * exits (or is stopped: cancel, grace, then the whole process tree is killed) → outcome stored.
 */
final class WorkerAttempt {

    /** How long a killed worker JVM may take to be gone: its exit after SIGKILL is the kernel freeing its memory. */
    private static final Duration KILLED_EXIT = Duration.ofSeconds(10);

    /** What an attempt needs from its supervisor. */
    record Context(String supervisorId, SupervisorConfig config, TaskStore store, OrchestratorLog log, Clock clock,
            ScheduledExecutorService timers, SupervisorCounters counters, JobMemory memory, StandbyWorkers standby) {

        AttemptRecorder.Context recording() {
            return new AttemptRecorder.Context(store, log, clock, supervisorId);
        }
    }

    private final Context context;
    private final NewTask task;
    /** The worker's id: the one given, or a ready worker's when the task takes one. */
    private volatile String workerId;
    private final int attempt;
    private final AttemptRecord.Kind kind;
    private final Duration timeout;
    private String checkpoint;
    private boolean rotated;
    /** Why the task moved on to a fresh worker: asked by the supervisor (a command agent) or said by the worker. */
    private String rotatedWhy;
    private final Object lock = new Object();
    private Channel channel;
    private ProcessTree tree;
    private FailureReason stopReason;
    /** A user cancelled the task: its stop ends it cancelled rather than failed. */
    private boolean cancelledByUser;
    private String stopWhy;
    private AgentOutcome result;
    private AttemptRecorder recorder;
    private boolean exitAnnounced;
    /** -1 until the worker reports its heap. */
    private double heapPeakMb = -1;
    private double rssPeakMb = -1;
    /** Set by {@link #run()}'s thread only, and read there. */
    private ScheduledFuture<?> deadline;
    private SessionRotation sessionRotation;
    private OutputPump pump;

    /**
     * @param attempt 1 for the task's first worker, more for the next ones (rotations, restarts, retries)
     * @param kind why this attempt is made
     * @param checkpoint the state to continue from, or null
     * @param timeout what is left of the task's timeout
     */
    WorkerAttempt(Context context, NewTask task, String workerId, int attempt, AttemptRecord.Kind kind, String checkpoint,
            Duration timeout) {
        this.context = context;
        this.task = task;
        this.workerId = workerId;
        this.attempt = attempt;
        this.kind = kind;
        this.checkpoint = checkpoint;
        this.timeout = timeout;
    }

    /**
     * Whether the worker ended itself for the task to continue in a fresh one: after a Java agent's
     * checkpoint, or once a command agent was stopped for its session to continue.
     */
    boolean rotated() {
        synchronized (lock) {
            return rotated;
        }
    }

    /** The last checkpoint this attempt started from or saved, or null. */
    String checkpoint() {
        synchronized (lock) {
            return checkpoint;
        }
    }

    String taskId() {
        return task.id();
    }

    /** What memory ended, if it did (its cause decides whether a retry gets more memory). */
    MemoryBreach breach() {
        synchronized (lock) {
            return recorder == null ? null : recorder.breach();
        }
    }

    TaskOutcome run() {
        TaskRequest request = task.request();
        Instant start = context.clock().instant();
        AttemptRecorder recorded = new AttemptRecorder(kind, attempt, task, context.memory(), context.recording(), false,
                breach -> stop(FailureReason.OUT_OF_MEMORY, breach.message()));
        synchronized (lock) {
            recorder = recorded;
        }
        Process process = null;
        boolean connected = false;
        boolean assigned = false;
        StandbyWorker ready = null;
        try {
            Files.createDirectories(task.logPath().getParent());
            JobLaunch launch = recorded.job() == null ? JobLaunch.INHERIT : recorded.job().launch();
            ready = context.standby().take(new StandbyWorkers.Shape(request.limits().heapMb(),
                    request.workDir()), launch);
            assigned = true;
            Channel worker;
            if (ready != null) {
                process = ready.process();
                workerId = ready.workerId();
                attach(process, recorded, "Worker " + workerId + " (pid " + process.pid() + ", heap cap "
                        + request.limits().heapMb() + " MB), ready for "
                        + Duration.between(ready.readyAt(), context.clock().instant()).toMillis() + " ms, takes task " + task.id());
                worker = ready.channel();
            } else {
                try (WorkerPort port = new WorkerPort(context.config().connectTimeout())) {
                    context.counters().spawned();
                    process = context.config().launcher().start(new WorkerLauncher.Start(request.limits().heapMb(),
                            port.port(), port.secret(), workerId, request.workDir(), task.logPath().getParent(), launch, false));
                    attach(process, recorded, "Worker spawned: " + workerId + " (pid " + process.pid() + ", heap cap "
                            + request.limits().heapMb() + " MB) for task " + task.id());
                    // A JVM that dies before connecting must not leave accept() waiting for the timeout.
                    process.onExit().thenRun(port::close);
                    worker = port.accept(() -> context.log().warn(OrchestratorLog.SUPERVISOR, "Dropped a connection to "
                            + "worker " + workerId + "'s port that did not present its secret", "taskId", task.id()));
                    if (worker != null) {
                        context.counters().connected();
                    }
                }
            }
            if (worker != null) {
                connected = true;
                converse(worker, process.pid(), launch);
            }
            waitForExit(process);
        } catch (IOException | RuntimeException e) {
            context.log().error(OrchestratorLog.SUPERVISOR, "Worker " + workerId + " for task " + task.id()
                    + " failed in the supervisor: " + e, "taskId", task.id());
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (sessionRotation != null) {
                sessionRotation.stop();
            }
            killTree();
            awaitGone(process);
            if (ready != null) {
                ready.handOver(task.logPath().getParent());
            }
            if (assigned) {
                context.standby().released();
            }
        }
        awaitPump(pump);
        int exitCode = process == null ? -1 : exitCodeOf(process);
        if (process != null) {
            context.config().launcher().exited(process);
        }
        ExitFacts facts;
        String movedOn;
        synchronized (lock) {
            facts = new ExitFacts(result, exitAnnounced, connected, exitCode, stopReason, stopWhy,
                    context.clock().instant().toEpochMilli() - start.toEpochMilli(), request.limits().heapMb(), heapPeakMb,
                    rssPeakMb, pump == null ? "" : pump.lastLine());
            movedOn = rotated ? rotatedWhy : null;
        }
        TaskOutcome outcome = ExitClassifier.classify(facts);
        boolean cancelled;
        synchronized (lock) {
            cancelled = cancelledByUser;
        }
        if (cancelled && !outcome.succeeded()) {
            outcome = outcome.asCancelled(TaskOutcome.CANCELLED_BY_USER);
        }
        return movedOn != null ? recorded.endedRotated(outcome, movedOn) : recorded.ended(outcome);
    }

    /**
     * The task's own from the worker's start (or its taking a ready worker) on: its tree, its
     * attempt's row, its timeout, its session's rotation, its log.
     */
    private void attach(Process process, AttemptRecorder recorded, String spawned) {
        TaskRequest request = task.request();
        synchronized (lock) {
            tree = new ProcessTree(process.toHandle());
        }
        recorded.started(process.pid(), true);
        // The task's time runs from its worker's start: a worker slow to connect is still bound by it.
        deadline = context.timers().schedule(() -> stop(FailureReason.TIMED_OUT), timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        if (request.agent().resume() != null && recorded.job() != null) {
            // The tree is the worker JVM and the agent: anything more is a tool the agent runs.
            sessionRotation = new SessionRotation(recorded.job(), task.logPath(), 2, context.config().sessionRotation(),
                    context.clock(), this::rotate).start(context.timers());
        }
        pump = new OutputPump(process.getInputStream(), task.logPath(), context.config().taskLogMaxBytes(),
                attempt == 1 ? new byte[0] : AttemptBanner.of(attempt, kind, attemptRequest()),
                "mayfly-output-" + workerId).start();
        context.log().info(OrchestratorLog.ENTRY, spawned, "taskId", task.id(), "workerId", workerId, "pid", process.pid());
    }

    /** Marks the task running, sends it, and reads the worker's messages until the channel closes. */
    private void converse(Channel opened, long pid, JobLaunch launch) throws IOException {
        synchronized (lock) {
            channel = opened;
        }
        try (Channel worker = opened) {
            if (attempt == 1 || kind == AttemptRecord.Kind.RETRY) {
                context.store().markRunning(task.id(), pid, context.clock().instant());
            } else {
                context.store().workerRestarted(task.id(), attempt, pid, context.clock().instant());
            }
            worker.send(taskMessage(launch));
            FailureReason stoppedMeanwhile;
            synchronized (lock) {
                stoppedMeanwhile = stopReason;
            }
            if (stoppedMeanwhile != null) {
                // stop() came before the channel was open, so its cancel could not be sent then.
                sendCancel(worker, stoppedMeanwhile);
            }
            ChannelMessage message;
            while ((message = worker.receive()) != null) {
                if (!(message instanceof ChannelMessage.WorkerMessage)) {
                    continue;
                }
                ChannelMessage.WorkerMessage received = (ChannelMessage.WorkerMessage) message;
                // A store that refuses a report (a full disk) must not end the task that sent it.
                context.recording().tryRecord("a " + received.type() + " message", task.id(),
                        () -> received.handleWith(reports));
            }
        }
    }

    /**
     * What this attempt runs: a later attempt (a retry, a rotation) of an agent that keeps its own
     * session continues that session; a Java agent's later attempts continue from its checkpoint
     * instead.
     */
    private TaskRequest attemptRequest() {
        return kind == AttemptRecord.Kind.FIRST ? task.request() : task.request().continued();
    }

    /** @param launch what the task's processes carry: a ready worker, started before its task, does not have it */
    private ChannelMessage.Task taskMessage(JobLaunch launch) {
        TaskRequest request = attemptRequest();
        return new ChannelMessage.Task(task.id(), request.prompt(), request.params(), request.agent(), request.workDir(),
                task.logPath().getParent(), context.config().memoryReportInterval().toMillis(),
                context.config().warnPercent(), context.config().rotatePercent(), checkpoint(), request.stream(),
                launch.environment());
    }

    /** What the worker reports, recorded as it arrives: memory, progress, checkpoints, events, its result. */
    private final ChannelMessage.FromWorker reports = new ChannelMessage.FromWorker() {
        @Override
        public void memoryReport(ChannelMessage.MemoryReport message) {
            MemorySample sample = message.sample();
            synchronized (lock) {
                heapPeakMb = Math.max(heapPeakMb, sample.heapUsed());
                rssPeakMb = Math.max(rssPeakMb, sample.rss());
            }
            JobReading tree = recorder.latest();
            context.store().recordMemorySample(task.id(), sample, tree, now());
            context.log().debug(OrchestratorLog.SUPERVISOR, "memory_report", "taskId", task.id(),
                    "workerId", workerId, "data", sample.toMap(), "tree", tree == null ? null : tree.toMap());
        }

        @Override
        public void memoryWarning(ChannelMessage.MemoryWarning message) {
            MemorySample sample = message.sample();
            context.store().appendEvent(task.id(), context.supervisorId(), "memory_warning", message.fields(), now());
            context.log().warn(OrchestratorLog.SUPERVISOR, String.format(java.util.Locale.ROOT,
                    "Task %s: heap at %.0f%% of its %.0f MB cap (%.0f MB used)", task.id(),
                    sample.heapUsedPercent(), sample.heapMax(), sample.heapUsed()), "taskId", task.id());
        }

        @Override
        public void progress(ChannelMessage.Progress message) {
            context.store().appendEvent(task.id(), context.supervisorId(), "progress", message.fields(), now());
            context.log().progress(task.id(), message.message(), message.fraction());
        }

        @Override
        public void checkpoint(ChannelMessage.Checkpoint message) {
            synchronized (lock) {
                checkpoint = message.state();
            }
            context.store().saveCheckpoint(task.id(), attempt, message.state(), now());
        }

        @Override
        public void event(ChannelMessage.Event message) {
            context.store().appendEvent(task.id(), context.supervisorId(), message.event(), message.data(), now());
        }

        @Override
        public void contextPiece(ChannelMessage.ContextPiece message) {
            context.store().saveContextSegment(task.id(), attempt, message.segment(), now());
        }

        @Override
        public void result(ChannelMessage.Result message) {
            synchronized (lock) {
                result = message.outcome();
                heapPeakMb = Math.max(heapPeakMb, message.heapPeakMb());
                rssPeakMb = Math.max(rssPeakMb, message.rssPeakMb());
            }
        }

        @Override
        public void rotated(ChannelMessage.Rotated message) {
            String why;
            synchronized (lock) {
                rotated = true;
                if (rotatedWhy == null) {
                    rotatedWhy = String.format(java.util.Locale.ROOT, "live heap at %.0f%% of its cap after a "
                            + "collection", message.livePercent() == null ? -1 : message.livePercent());
                }
                why = rotatedWhy;
            }
            context.log().info(OrchestratorLog.SUPERVISOR, "Task " + task.id() + ": " + why + "; continuing in a "
                    + "fresh worker " + (task.request().agent().resume() != null ? "with its session" : "from its checkpoint"),
                    "taskId", task.id());
        }

        @Override
        public void exiting(ChannelMessage.Exiting message) {
            synchronized (lock) {
                exitAnnounced = true;
            }
        }

        @Override
        public void unknown(ChannelMessage.Unknown message) {
            context.log().debug(OrchestratorLog.SUPERVISOR, "unknown message from worker " + workerId,
                    "type", message.type());
        }
    };

    private Instant now() {
        return context.clock().instant();
    }

    /**
     * Asks the worker to stop its command agent so that the agent's session continues in a fresh
     * worker: at a safe point as the worker sees it (or at once when forced) the agent is sent
     * SIGTERM, and the worker ends itself once the agent has exited.
     */
    private void rotate(SessionRotation.Decision decision) {
        Channel open;
        synchronized (lock) {
            if (result != null || stopReason != null || rotatedWhy != null || channel == null) {
                return;
            }
            rotatedWhy = decision.why();
            open = channel;
        }
        context.log().info(OrchestratorLog.SUPERVISOR, "Task " + task.id() + ": " + decision.why() + "; stopping the agent "
                + "so that its session continues in a fresh worker", "taskId", task.id());
        try {
            open.send(new ChannelMessage.Rotate(decision.forced()));
        } catch (IOException e) {
            // The worker is going anyway; what ends it decides the attempt.
        }
    }

    /** A user cancelled the task: stopped as at a timeout, and recorded cancelled unless it completed first. */
    void cancel() {
        synchronized (lock) {
            if (result != null || stopReason != null) {
                return;
            }
            cancelledByUser = true;
        }
        stop(FailureReason.INTERRUPTED, TaskOutcome.CANCELLED_BY_USER);
    }

    /**
     * Stops the worker: a cancel request now, and after the grace period the whole process tree
     * is killed. Does nothing once a result has arrived or a stop is under way.
     */
    void stop(FailureReason reason) {
        stop(reason, null);
    }

    /** @param why the task's error, or null for the reason's usual words */
    void stop(FailureReason reason, String why) {
        Channel open;
        synchronized (lock) {
            if (result != null || stopReason != null) {
                return;
            }
            stopReason = reason;
            stopWhy = why;
            if (tree != null) {
                tree.refresh();
            }
            open = channel;
        }
        if (open != null) {
            sendCancel(open, reason);
        }
        boolean cancelled;
        synchronized (lock) {
            cancelled = cancelledByUser;
        }
        context.log().info(OrchestratorLog.SUPERVISOR, "Stopping worker " + workerId + " of task " + task.id() + " ("
                + (cancelled ? "cancelled by the user" : reason.label()) + "): " + (reason == FailureReason.OUT_OF_MEMORY ? "its processes were ended at once"
                        : "cancel sent, forced stop in " + context.config().gracePeriod().toMillis() + " ms"),
                "taskId", task.id(), "reason", reason.label());
        context.timers().schedule(this::killTree, context.config().gracePeriod().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void sendCancel(Channel open, FailureReason reason) {
        try {
            open.send(new ChannelMessage.Cancel(reason.label()));
        } catch (IOException e) {
            // The worker is already going; the kill after the grace period makes sure.
        }
    }

    private void killTree() {
        ProcessTree current;
        synchronized (lock) {
            current = tree;
        }
        if (current != null) {
            current.kill();
        }
    }

    /** After the channel closed: the JVM should be exiting; if it lingers past the grace period, it is killed. */
    private void waitForExit(Process process) {
        try {
            if (!process.waitFor(context.config().gracePeriod().toMillis(), TimeUnit.MILLISECONDS)) {
                killTree();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killTree();
        }
    }

    /**
     * Waits for the worker JVM to be gone, whichever way the attempt ended (a failure in the
     * supervisor skips {@link #waitForExit}): its slot in the pool is only given to the next worker
     * once this one's memory is back.
     */
    private static void awaitGone(Process process) {
        if (process == null) {
            return;
        }
        try {
            process.waitFor(KILLED_EXIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitPump(OutputPump pump) {
        if (pump == null) {
            return;
        }
        try {
            pump.await(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int exitCodeOf(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
