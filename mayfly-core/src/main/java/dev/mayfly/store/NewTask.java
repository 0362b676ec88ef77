package dev.mayfly.store;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.routing.Mode;
import dev.mayfly.routing.RoutingDecision;
import dev.mayfly.task.TaskRequest;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A task about to be stored as {@code queued}.
 *
 * @param logPath the task's log file
 */
public record NewTask(String id, String supervisorId, TaskRequest request, RoutingDecision routing, Path logPath,
        Instant createdAt) {

    /** What a task's log file is called in its folder. */
    public static final String LOG_FILE = "task.log";

    /** The same task, asked for again (a retry's larger limits). */
    public NewTask withRequest(TaskRequest newRequest) {
        return new NewTask(id, supervisorId, newRequest, routing, logPath, createdAt);
    }

    /**
     * Whether the task's memory is its own process tree's, measured and capped: a worker's, or an
     * in-process command's. An in-process Java agent shares the supervisor's heap and cannot be
     * measured apart.
     */
    public boolean treeMeasured() {
        return routing.mode() == Mode.WORKER || request.agent().kind() == AgentSpec.Kind.COMMAND;
    }
}
