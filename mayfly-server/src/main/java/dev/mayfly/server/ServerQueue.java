package dev.mayfly.server;

import dev.mayfly.batch.BatchEntry;
import dev.mayfly.batch.BatchFile;
import dev.mayfly.batch.LineRequest;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.TaskStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The server's durable queue: a submitted task is stored queued, with its request, before anyone is
 * told it was accepted; a server that starts takes over the queued tasks a server that is gone left,
 * and runs them under their own ids. Both are then started like a batch's stored lines.
 */
final class ServerQueue {

    private final Orchestrator orchestrator;
    private final Executor starter;
    private final Consumer<TaskResult> ended;
    private final OrchestratorLog log;
    private final Clock clock;

    /** @param ended told how each task it started ended (the metrics) */
    ServerQueue(Orchestrator orchestrator, Executor starter, Consumer<TaskResult> ended, OrchestratorLog log,
            Clock clock) {
        this.orchestrator = orchestrator;
        this.starter = starter;
        this.ended = ended;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Checks a task's fields as a batch line's, stores it queued and starts it; returns it as stored.
     *
     * @param workDir the folder the agent works in
     */
    NewTask submit(Map<String, Object> fields, Path workDir) {
        BatchEntry entry = BatchFile.task(fields, orchestrator.settings(), workDir);
        orchestrator.checkDiskFree("the task");
        NewTask task = orchestrator.prepare(entry.request(), entry.workers(), null);
        orchestrator.store().createServerTask(task, LineRequest.toJson(entry.stored(task)));
        log.info(OrchestratorLog.ENTRY, "Task " + task.id() + " submitted over HTTP", "taskId", task.id());
        start(task);
        return task;
    }

    /** Takes over and starts the queued tasks of servers that are gone; returns how many. */
    int adoptLeftovers() {
        String host = SupervisorLiveness.thisHost();
        Instant now = clock.instant();
        List<TaskStore.QueuedRequest> left = orchestrator.store().adoptServerQueue(orchestrator.supervisorId(),
                owner -> SupervisorLiveness.isAlive(owner, host, now), now);
        for (TaskStore.QueuedRequest queued : left) {
            BatchEntry entry = LineRequest.fromJson(0, queued.requestJson());
            start(orchestrator.prepareStored(queued.task(), entry.request(), entry.workers()));
        }
        if (!left.isEmpty()) {
            log.info(OrchestratorLog.ENTRY, "Took over " + left.size() + " queued task(s) that an earlier server left",
                    "tasks", left.stream().map(queued -> queued.task().id()).toList());
        }
        return left.size();
    }

    /** An in-process task runs in the starter's thread; a worker task waits in the supervisor's queue. */
    private void start(NewTask task) {
        starter.execute(() -> {
            try {
                orchestrator.startStored(task).thenAccept(ended);
            } catch (RuntimeException e) {
                log.warn(OrchestratorLog.ENTRY, "Task " + task.id() + " could not start: " + e.getMessage(),
                        "taskId", task.id());
            }
        });
    }
}
