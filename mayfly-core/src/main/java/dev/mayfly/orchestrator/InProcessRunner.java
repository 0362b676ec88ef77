package dev.mayfly.orchestrator;

import dev.mayfly.agent.AgentInvocation;
import dev.mayfly.agent.AgentOutcome;
import dev.mayfly.agent.RunningTask;
import dev.mayfly.api.ContextSegment;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.log.TaskLog;
import dev.mayfly.memory.JobMemory;
import dev.mayfly.process.JobLaunch;
import dev.mayfly.process.ProcFs;
import dev.mayfly.process.TaskMark;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.TaskStore;
import dev.mayfly.supervisor.AttemptBanner;
import dev.mayfly.supervisor.AttemptRecorder;
import dev.mayfly.supervisor.DaemonTimers;
import dev.mayfly.supervisor.OutcomeWriter;
import dev.mayfly.supervisor.SessionRotation;
import dev.mayfly.supervisor.TaskAdmission;
import dev.mayfly.task.CancelRequests;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.RetryPolicy;
import dev.mayfly.task.Settlement;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a task on a thread of this JVM: no spawn, no heap of its own. For short tasks.
 *
 * <p>A command agent's process tree is still the task's own: measured, capped and contained like a
 * worker's, admitted by memory, retried after a crash or running out of memory. A Java agent shares
 * the supervisor's heap, so no memory figure is its own: none is recorded (the supervisor's heap is
 * never shown as the task's). A thread cannot be killed, so stopping one (timeout, shutdown) is a
 * cancel request and a grace period; an agent that ignores both is left on its daemon thread and
 * the task is recorded as stopped.
 */
final class InProcessRunner {

    /** One in-process task from its start to its stored outcome: the attempt it is on, and when it is recorded. */
    private static final class TaskRun {
        volatile Run attempt;
        final CompletableFuture<Void> recorded = new CompletableFuture<>();
    }

    /** One in-process attempt while it runs: its context and, once stopped, why. */
    private static final class Run {
        final RunningTask context;
        volatile FailureReason stopReason;
        volatile String stopWhy;
        /** Why its command agent was stopped for its session to continue in a fresh process, once it was. */
        volatile String rotatedWhy;
        /** A user cancelled the task: its stop ends it cancelled rather than failed. */
        volatile boolean cancelledByUser;

        Run(RunningTask context) {
            this.context = context;
        }

        void cancel() {
            if (stopReason == null) {
                cancelledByUser = true;
            }
            stop(FailureReason.INTERRUPTED, TaskOutcome.CANCELLED_BY_USER);
        }

        void stop(FailureReason reason, String why) {
            if (stopReason == null) {
                stopReason = reason;
                stopWhy = why;
            }
            context.cancel();
        }
    }

    private final TaskStore store;
    private final OrchestratorLog log;
    private final Clock clock;
    private final Duration grace;
    private final long taskLogMaxBytes;
    private final String supervisorId;
    private final JobMemory memory;
    private final RetryPolicy retryPolicy;
    private final TaskAdmission admission;
    private final OutcomeWriter outcomes;
    private final Map<String, TaskRun> running = new ConcurrentHashMap<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final SessionRotation.Rules sessionRotation;
    private final int maxRotations;
    private final CancelRequests cancels;
    /** How often a waiting retry looks for a user's cancel. */
    private static final Duration CANCEL_LOOK = Duration.ofMillis(250);
    /** Looks at command agents' trees for a rotation (docs/rotation.md). */
    private final ScheduledExecutorService timers = DaemonTimers.start("mayfly-in-process-timers");
    /** Beyond the grace period, what stopping an in-process task may take: a command's own stop and sweep. */
    static final Duration STOP_ALLOWANCE = Duration.ofSeconds(10);

    /** What an in-process runner is made of. */
    record Setup(TaskStore store, OrchestratorLog log, Clock clock, Duration grace, String supervisorId, JobMemory memory,
            Duration retryDelay, long taskLogMaxBytes, SessionRotation.Rules sessionRotation, int maxRotations,
            CancelRequests cancels) {}

    /** One attempt's end, and whether it moved the task to a fresh process (its session continues). */
    private record Ran(AttemptRecorder.Attempt attempt, boolean rotated) {}

    InProcessRunner(Setup setup) {
        TaskOutput.install();
        this.store = setup.store();
        this.log = setup.log();
        this.clock = setup.clock();
        this.grace = setup.grace();
        this.supervisorId = setup.supervisorId();
        this.memory = setup.memory();
        this.retryPolicy = new RetryPolicy(setup.retryDelay(), ThreadLocalRandom.current()::nextDouble);
        this.admission = new TaskAdmission(memory.admission(), new AttemptRecorder.Context(store, log, clock, supervisorId));
        this.outcomes = new OutcomeWriter(store, log, clock);
        this.taskLogMaxBytes = setup.taskLogMaxBytes();
        this.sessionRotation = setup.sessionRotation();
        this.maxRotations = setup.maxRotations();
        this.cancels = setup.cancels();
    }

    /** How many tasks this runner has now: running, or waiting for memory or a retry. */
    int running() {
        return running.size();
    }

    /** The tasks this runner has now. */
    Set<String> held() {
        return Set.copyOf(running.keySet());
    }

    /**
     * A user cancelled the task: its running attempt, if it has one now, is stopped; no other starts.
     *
     * @return whether this runner has the task (running, or waiting for memory or a retry)
     */
    boolean cancel(String taskId) {
        TaskRun taskRun = running.get(taskId);
        Run attempt = taskRun == null ? null : taskRun.attempt;
        if (attempt != null) {
            attempt.cancel();
        }
        return taskRun != null;
    }

    /**
     * @param stored whether the task is in the store already (a batch's), or is stored now
     * @param created runs once the task is stored, before it starts
     */
    Settlement run(NewTask task, boolean stored, Runnable created) throws IOException {
        TaskRun taskRun = new TaskRun();
        running.put(task.id(), taskRun);
        try {
            if (!stored) {
                store.createTask(task);
            }
            created.run();
            Files.createDirectories(task.logPath().getParent());
            return runAttempts(task, taskRun);
        } finally {
            // Only now, with the outcome stored, may a stopping supervisor close the store.
            running.remove(task.id());
            cancels.forget(task.id());
            taskRun.recorded.complete(null);
        }
    }

    private Settlement runAttempts(NewTask task, TaskRun taskRun) throws IOException {
        int maxCapMb = Math.min(memory.settings().maxCapMb(), TaskLimits.MAX_GROWTH * task.request().limits().memoryMb());
        NewTask current = task;
        AttemptRecord.Kind kind = AttemptRecord.Kind.FIRST;
        int rotations = 0;
        int retries = task.continuation().retriesDone();
        Instant deadline = null;
        Instant chainStart = null;
        TaskOutcome.Peaks peaks = TaskOutcome.Peaks.NONE;
        int first = task.continuation().nextAttempt();
        if (first > 1) {
            kind = AttemptRecord.Kind.RETRY;
        }
        for (int attempt = first; ; attempt++) {
            if (cancels.requested(task.id())) {
                return finish(task, attempt == first ? TaskOutcome.cancelledBeforeStart()
                        : TaskOutcome.cancelled(TaskOutcome.CANCELLED_BY_USER).across(
                                Duration.between(chainStart, clock.instant()).toMillis(), peaks, null, null));
            }
            current = admission.admit(current, () -> stopping.getCount() == 0 || cancels.requested(task.id()));
            if (current == null) {
                return finish(task, cancels.requested(task.id())
                        ? TaskOutcome.cancelledBeforeStart()
                        : TaskOutcome.failed(FailureReason.INTERRUPTED, "the supervisor stopped before the task started"));
            }
            if (kind != AttemptRecord.Kind.ROTATION) {
                // The timeout spans the processes a task moves through; a retry starts it again.
                chainStart = clock.instant();
                deadline = chainStart.plus(current.request().limits().timeout());
                peaks = TaskOutcome.Peaks.NONE;
            }
            store.markRunning(task.id(), ProcessHandle.current().pid(), clock.instant());
            Ran once = runOnce(current, attempt, kind, taskRun, deadline);
            AttemptRecorder.Attempt ran = once.attempt();
            peaks = peaks.with(ran.outcome());
            if (kind == AttemptRecord.Kind.ROTATION && !once.rotated()) {
                // One task across its processes: their time and their peaks.
                TaskOutcome last = ran.outcome();
                ran = new AttemptRecorder.Attempt(last.across(Duration.between(chainStart, clock.instant()).toMillis(),
                        peaks, last.reason(), last.error()), ran.breach(), ran.number());
            }
            if (once.rotated()) {
                Optional<TaskOutcome> ended = rotationEnd(rotations, attempt, deadline);
                if (ended.isPresent()) {
                    return finish(task, ended.get());
                }
                rotations++;
                store.recordRotation(task.id(), attempt + 1, clock.instant());
                kind = AttemptRecord.Kind.ROTATION;
                continue;
            }
            kind = AttemptRecord.Kind.RETRY;
            Optional<RetryPolicy.Retry> retry = stopping.getCount() == 0 ? Optional.empty()
                    : retryPolicy.next(current.request().limits(), retries, ran.outcome(), ran.hostLow(), maxCapMb);
            if (retry.isEmpty()) {
                return finish(task, ran.outcome());
            }
            retries++;
            current = current.withRequest(current.request().withLimits(retry.get().limits()));
            TaskLimits limits = current.request().limits();
            store.retryScheduled(task.id(), attempt + 1, null, current.treeMeasured() ? limits.memoryMb() : null,
                    retry.get().delay().toMillis(), retry.get().why(), clock.instant());
            log.info(OrchestratorLog.ENTRY, "Task " + task.id() + ": " + retry.get().why(), "taskId", task.id());
            if (backOff(task.id(), retry.get().delay())) {
                return finish(task, TaskOutcome.failed(FailureReason.INTERRUPTED,
                        "the supervisor stopped while the task waited to retry"));
            }
        }
    }

    /** How a task whose agent was stopped for a rotation ends instead, if it may not go on. */
    private Optional<TaskOutcome> rotationEnd(int rotations, int attempts, Instant deadline) {
        if (stopping.getCount() == 0) {
            return Optional.of(TaskOutcome.failed(FailureReason.INTERRUPTED,
                    "the supervisor stopped while the task was moving to a fresh process"));
        }
        if (rotations >= maxRotations) {
            return Optional.of(TaskOutcome.failed(FailureReason.OUT_OF_MEMORY, "the task moved to a "
                    + "fresh process " + maxRotations + " times (MAYFLY_MAX_ROTATIONS) and still needs more; raise --memory-mb"));
        }
        if (!clock.instant().isBefore(deadline)) {
            return Optional.of(TaskOutcome.failed(FailureReason.TIMED_OUT,
                    "the task ran past its timeout across " + attempts + " processes"));
        }
        return Optional.empty();
    }

    private Settlement finish(NewTask task, TaskOutcome outcome) {
        return new Settlement(outcome, outcomes.write(task.id(), outcome));
    }

    /**
     * Waits out a retry's backoff, looking for a cancel every quarter second (the next attempt then
     * does not start); true when the supervisor stopped meanwhile.
     */
    private boolean backOff(String taskId, Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        try {
            for (long left = delay.toNanos(); left > 0 && !cancels.requested(taskId); left = deadline - System.nanoTime()) {
                if (stopping.await(Math.min(left, CANCEL_LOOK.toNanos()), TimeUnit.NANOSECONDS)) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private Ran runOnce(NewTask task, int attempt, AttemptRecord.Kind kind, TaskRun taskRun, Instant deadline)
            throws IOException {
        Run[] current = new Run[1];
        AttemptRecorder recorder = new AttemptRecorder(kind, attempt, task, memory,
                new AttemptRecorder.Context(store, log, clock, supervisorId), true,
                breach -> current[0].stop(FailureReason.OUT_OF_MEMORY, breach.message()));
        JobLaunch launch = recorder.job() == null ? JobLaunch.INHERIT : recorder.job().launch();
        // A later attempt of an agent that keeps its own session continues that session.
        TaskRequest request = kind == AttemptRecord.Kind.FIRST ? task.request() : task.request().continued();
        Run run = new Run(new RunningTask(task.id(), request.prompt(), task.request().params(),
                task.request().workDir(), task.logPath().getParent(), new StoreReports(task.id()), null, launch,
                task.request().stream()));
        current[0] = run;
        taskRun.attempt = run;
        if (stopping.getCount() == 0) {
            run.stop(FailureReason.INTERRUPTED, null);
        } else if (cancels.requested(task.id())) {
            run.cancel();
        }
        recorder.started(ProcessHandle.current().pid(), false);
        // The tree is the agent alone (this JVM is not part of it): anything more is a tool the agent runs.
        SessionRotation rotation = request.agent().resume() == null || recorder.job() == null ? null
                : new SessionRotation(recorder.job(), task.logPath(), 1, sessionRotation, clock, decision -> {
                    run.rotatedWhy = decision.why();
                    log.info(OrchestratorLog.SUPERVISOR, "Task " + task.id() + ": " + decision.why() + "; stopping the "
                            + "agent so that its session continues in a fresh process", "taskId", task.id());
                    run.context.requestRotation(decision.forced());
                }).start(timers);
        Duration timeout = Duration.between(clock.instant(), deadline);
        try (OutputStream log = TaskLog.open(task.logPath(), taskLogMaxBytes)) {
            if (attempt > 1) {
                log.write(AttemptBanner.of(attempt, kind, request));
            }
            CompletableFuture<AgentOutcome> agent = CompletableFuture.supplyAsync(
                    () -> TaskOutput.printingTo(log, () -> AgentInvocation.run(request.agent(), run.context, log, clock)),
                    runnable -> {
                        Thread thread = new Thread(runnable, "mayfly-in-process-" + task.id());
                        thread.setDaemon(true);
                        thread.start();
                    });
            Instant start = clock.instant();
            AgentOutcome outcome = await(agent, timeout.isNegative() ? Duration.ZERO : timeout, run);
            if (rotation != null) {
                rotation.stop();
            }
            TaskOutcome ran = outcomeOf(run, outcome, Math.max(0, Duration.between(start, clock.instant()).toMillis()),
                    task.request().limits().timeout());
            if (run.cancelledByUser && !ran.succeeded()) {
                ran = ran.asCancelled(TaskOutcome.CANCELLED_BY_USER);
            }
            boolean rotated = outcome != null && outcome.rotated() && run.stopReason == null;
            TaskOutcome result = rotated ? recorder.endedRotated(ran, run.rotatedWhy) : recorder.ended(ran);
            return new Ran(new AttemptRecorder.Attempt(result, recorder.breach(), attempt), rotated);
        }
    }

    /** The attempt's outcome; memory figures are the tree's (added by the recorder), never the shared heap's. */
    private static TaskOutcome outcomeOf(Run run, AgentOutcome outcome, long elapsedMs, Duration timeout) {
        if (outcome != null && (outcome.ok() || run.stopReason == null)) {
            if (outcome.ok()) {
                return TaskOutcome.completed(outcome.exitCode(), outcome.executionTimeMs(), -1, -1, outcome.resultJson());
            }
            return TaskOutcome.failed(FailureReason.ofFailedAgent(outcome), outcome.exitCode(), outcome.executionTimeMs(),
                    -1, -1, outcome.error());
        }
        String why = run.stopWhy != null ? run.stopWhy : run.stopReason == FailureReason.TIMED_OUT
                ? "the task ran past its timeout of " + timeout.toMillis() + " ms and was stopped"
                : "the supervisor stopped while the task was running";
        return TaskOutcome.failed(run.stopReason, null, elapsedMs, -1, -1, why);
    }

    /** The agent's outcome, or null when it was stopped and did not end within the grace period. */
    private AgentOutcome await(CompletableFuture<AgentOutcome> agent, Duration timeout, Run run) {
        try {
            try {
                return agent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                run.stop(FailureReason.TIMED_OUT, null);
                return agent.get(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("AgentInvocation.run does not throw", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.stop(FailureReason.INTERRUPTED, null);
            return null;
        }
    }

    /**
     * Stops every in-process task (the supervisor is shutting down) and waits for their outcomes to
     * be stored; a task whose agent does not stop in time is recorded as interrupted here, and its
     * processes (found by its mark) are ended here. Tasks waiting for memory or for a retry end
     * interrupted too.
     */
    void stopAll() {
        stopping.countDown();
        timers.shutdownNow();
        memory.admission().wake();
        Map<String, TaskRun> stopped = Map.copyOf(running);
        for (TaskRun taskRun : stopped.values()) {
            Run attempt = taskRun.attempt;
            if (attempt != null) {
                attempt.stop(FailureReason.INTERRUPTED, null);
            }
        }
        // Room for a command's own stop (its grace, then the kill) and the end of what it left running.
        long deadline = System.nanoTime() + grace.plus(STOP_ALLOWANCE).toNanos();
        for (Map.Entry<String, TaskRun> entry : stopped.entrySet()) {
            try {
                entry.getValue().recorded.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                store.finish(entry.getKey(), TaskOutcome.failed(FailureReason.INTERRUPTED,
                        "the supervisor stopped while the task was running"), clock.instant());
                Map<Long, String> ended = TaskMark.ofThisSupervisor(entry.getKey()).endAll(ProcFs.system(), Duration.ZERO);
                if (!ended.isEmpty()) {
                    store.appendEvent(entry.getKey(), supervisorId, "escaped_processes", Map.of("count", ended.size(),
                            "processes", AttemptRecorder.named(ended)), clock.instant());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What an in-process agent reports goes straight to the store (checkpoints are not kept: nothing
     * to rotate to); a store that refuses it does not fail the agent.
     */
    private final class StoreReports implements RunningTask.Reports {
        private final String taskId;
        private final AttemptRecorder.Context recording;

        StoreReports(String taskId) {
            this.taskId = taskId;
            this.recording = new AttemptRecorder.Context(store, log, clock, supervisorId);
        }

        @Override
        public void progress(String message, double fraction) {
            recording.tryRecord("its progress", taskId, () -> store.appendEvent(taskId, supervisorId, "progress",
                    Map.of("message", String.valueOf(message), "fraction", fraction), clock.instant()));
            log.progress(taskId, message, fraction);
        }

        @Override
        public void event(String type, Map<String, ?> data) {
            recording.tryRecord("an event", taskId, () -> store.appendEvent(taskId, supervisorId, type, data,
                    clock.instant()));
        }

        @Override
        public void contextSegment(ContextSegment segment) {
            recording.tryRecord("a context segment", taskId, () -> store.saveContextSegment(taskId, 1, segment,
                    clock.instant()));
        }
    }
}
