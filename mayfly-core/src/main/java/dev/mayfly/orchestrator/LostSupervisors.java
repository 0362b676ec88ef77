package dev.mayfly.orchestrator;

import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.process.ProcFs;
import dev.mayfly.process.TaskMark;
import dev.mayfly.store.SupervisorRecord;
import dev.mayfly.store.TaskStore;
import dev.mayfly.supervisor.AttemptRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What supervisors that are gone left: their tasks settled in the store ({@link TaskStore#settleOrphans}),
 * and their processes on this host ended. At every start, and on every beat of a server node.
 */
final class LostSupervisors {

    private LostSupervisors() {}

    static void settle(TaskStore store, OrchestratorLog log, String supervisorId, Clock clock) {
        String host = SupervisorLiveness.thisHost();
        Instant now = clock.instant();
        // Never itself: a node that lost its lease finds out from its heartbeat, and stops its own tasks.
        List<String> settled = store.settleOrphans(owner -> owner.id().equals(supervisorId)
                || SupervisorLiveness.isAlive(owner, host, now), now);
        if (!settled.isEmpty()) {
            log.warn(OrchestratorLog.SUPERVISOR, "Settled " + settled.size() + " task(s) left running by a supervisor "
                    + "that is gone (a server's task with retries left is queued again; others end interrupted): "
                    + String.join(", ", settled), "tasks", settled);
            endLeftovers(settled, store, log, supervisorId, clock);
        }
    }

    /**
     * Ends what the settled tasks' processes left running (an in-process command's tree outlives a
     * kill -9): those of this host's gone supervisors. Another host's node ends its own when it finds
     * its lease lost, or they end with that host.
     */
    private static void endLeftovers(List<String> settled, TaskStore store, OrchestratorLog log, String supervisorId,
            Clock clock) {
        String host = SupervisorLiveness.thisHost();
        for (String taskId : settled) {
            Optional<SupervisorRecord> owner = store.findTask(taskId).flatMap(task -> store.findSupervisor(task.supervisorId()))
                    .filter(gone -> gone.host().equals(host));
            if (owner.isEmpty()) {
                continue;
            }
            Map<Long, String> ended = new TaskMark(taskId, owner.get().pid()).endAll(ProcFs.system(), Duration.ofSeconds(1));
            if (!ended.isEmpty()) {
                List<String> named = AttemptRecorder.named(ended);
                store.appendEvent(taskId, supervisorId, "escaped_processes", Map.of("count", named.size(), "processes",
                        named), clock.instant());
                log.warn(OrchestratorLog.SUPERVISOR, "Task " + taskId + ": ended " + named.size() + " process(es) its "
                        + "gone supervisor left running: " + String.join("; ", named), "taskId", taskId);
            }
        }
    }
}
