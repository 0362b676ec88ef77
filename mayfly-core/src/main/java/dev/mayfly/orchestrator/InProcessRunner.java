package dev.mayfly.orchestrator;

import dev.mayfly.agent.AgentInvocation;
import dev.mayfly.agent.AgentOutcome;
import dev.mayfly.agent.RunningTask;
import dev.mayfly.api.ContextSegment;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.TaskStore;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.worker.MemoryMonitor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a task on a thread of this JVM: no spawn, no isolation. For short tasks.
 *
 * <p>A thread cannot be killed, so stopping one (timeout, shutdown) is a cancel request and a
 * grace period; an agent that ignores both is left on its daemon thread and the task is recorded
 * as stopped. Memory figures are the whole process's, since the heap is shared.
 */
final class InProcessRunner {

    /** One in-process task while it runs: its context and, once stopped, why. */
    private static final class Run {
        final RunningTask context;
        volatile FailureReason stopReason;
        final CompletableFuture<TaskOutcome> recorded = new CompletableFuture<>();

        Run(RunningTask context) {
            this.context = context;
        }

        void stop(FailureReason reason) {
            if (stopReason == null) {
                stopReason = reason;
            }
            context.cancel();
        }
    }

    private final TaskStore store;
    private final OrchestratorLog log;
    private final Clock clock;
    private final Duration grace;
    private final String supervisorId;
    private final Map<String, Run> running = new ConcurrentHashMap<>();

    InProcessRunner(TaskStore store, OrchestratorLog log, Clock clock, Duration grace, String supervisorId) {
        this.store = store;
        this.log = log;
        this.clock = clock;
        this.grace = grace;
        this.supervisorId = supervisorId;
    }

    /** @param created runs once the task is stored, before it starts */
    TaskOutcome run(NewTask task, Runnable created) throws IOException {
        store.createTask(task);
        created.run();
        store.markRunning(task.id(), ProcessHandle.current().pid(), clock.instant());
        Files.createDirectories(task.logPath().getParent());
        MemoryMonitor memory = new MemoryMonitor();
        memory.recordNow();
        Run run = new Run(new RunningTask(task.id(), task.request().prompt(), task.request().params(),
                task.request().workDir(), task.logPath().getParent(), new StoreReports(task.id())));
        running.put(task.id(), run);
        long start = System.nanoTime();
        try (OutputStream log = Files.newOutputStream(task.logPath(), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            CompletableFuture<AgentOutcome> agent = CompletableFuture.supplyAsync(
                    () -> AgentInvocation.run(task.request().agent(), run.context, log),
                    runnable -> {
                        Thread thread = new Thread(runnable, "mayfly-in-process-" + task.id());
                        thread.setDaemon(true);
                        thread.start();
                    });
            AgentOutcome outcome = await(agent, task.request().limits().timeout(), run);
            memory.recordNow();
            TaskOutcome result = outcomeOf(run, outcome, (System.nanoTime() - start) / 1_000_000,
                    memory.heapPeakMb(), memory.rssPeakMb(), task.request().limits().timeout());
            store.finish(task.id(), result, clock.instant());
            run.recorded.complete(result);
            return result;
        } finally {
            running.remove(task.id());
            run.recorded.complete(null);
        }
    }

    private static TaskOutcome outcomeOf(Run run, AgentOutcome outcome, long elapsedMs, double heap, double rss,
            Duration timeout) {
        if (outcome != null && (outcome.ok() || run.stopReason == null)) {
            if (outcome.ok()) {
                return TaskOutcome.completed(outcome.exitCode(), outcome.executionTimeMs(), heap, rss, outcome.resultJson());
            }
            FailureReason reason = outcome.outOfMemory() ? FailureReason.OUT_OF_MEMORY : FailureReason.ERROR;
            return TaskOutcome.failed(reason, outcome.exitCode(), outcome.executionTimeMs(), heap, rss, outcome.error());
        }
        String why = run.stopReason == FailureReason.TIMED_OUT
                ? "the task ran past its timeout of " + timeout.toMillis() + " ms and was stopped"
                : "the supervisor stopped while the task was running";
        return TaskOutcome.failed(run.stopReason, outcome == null ? null : outcome.exitCode(), elapsedMs, heap, rss, why);
    }

    /** The agent's outcome, or null when it was stopped and did not end within the grace period. */
    private AgentOutcome await(CompletableFuture<AgentOutcome> agent, Duration timeout, Run run) {
        try {
            try {
                return agent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                run.stop(FailureReason.TIMED_OUT);
                return agent.get(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("AgentInvocation.run does not throw", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.stop(FailureReason.INTERRUPTED);
            return null;
        }
    }

    /**
     * Stops every in-process task (the supervisor is shutting down) and waits for their outcomes to
     * be stored; a task whose agent does not stop is recorded as interrupted here.
     */
    void stopAll() {
        for (Map.Entry<String, Run> entry : running.entrySet()) {
            Run run = entry.getValue();
            run.stop(FailureReason.INTERRUPTED);
            try {
                run.recorded.get(grace.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                store.finish(entry.getKey(), TaskOutcome.failed(FailureReason.INTERRUPTED, null, 0, -1, -1,
                        "the supervisor stopped while the task was running"), clock.instant());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** What an in-process agent reports goes straight to the store (checkpoints are not kept: nothing to rotate to). */
    private final class StoreReports implements RunningTask.Reports {
        private final String taskId;

        StoreReports(String taskId) {
            this.taskId = taskId;
        }

        @Override
        public void progress(String message, double fraction) {
            store.appendEvent(taskId, supervisorId, "progress", Map.of("message", String.valueOf(message),
                    "fraction", fraction), clock.instant());
            log.progress(taskId, message, fraction);
        }

        @Override
        public void event(String type, Map<String, ?> data) {
            store.appendEvent(taskId, supervisorId, type, data, clock.instant());
        }

        @Override
        public void contextSegment(ContextSegment segment) {
            store.saveContextSegment(taskId, 1, segment, clock.instant());
        }
    }
}
