package dev.mayfly.store;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.routing.Mode;
import dev.mayfly.routing.RoutingDecision;
import dev.mayfly.task.TaskRequest;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A task about to be stored as {@code queued}, or about to start.
 *
 * @param logPath the task's log file
 * @param continuation where it starts: its first attempt, or where a node that was lost left it
 */
public record NewTask(String id, String supervisorId, TaskRequest request, RoutingDecision routing, Path logPath,
        Instant createdAt, Continuation continuation) {

    /** What a task's log file is called in its folder. */
    public static final String LOG_FILE = "task.log";

    /**
     * Where a task starts: its first attempt; or, for a server's task whose node was lost and that
     * another node claimed, the next attempt's number, the retries it had, and that it goes on from
     * its last checkpoint (which is in the shared store).
     */
    public record Continuation(int nextAttempt, int retriesDone, boolean fromCheckpoint) {

        public static final Continuation FIRST = new Continuation(1, 0, false);
    }

    /** A task that starts with its first attempt. */
    public NewTask(String id, String supervisorId, TaskRequest request, RoutingDecision routing, Path logPath,
            Instant createdAt) {
        this(id, supervisorId, request, routing, logPath, createdAt, Continuation.FIRST);
    }

    /** The same task, asked for again (a retry's larger limits). */
    public NewTask withRequest(TaskRequest newRequest) {
        return new NewTask(id, supervisorId, newRequest, routing, logPath, createdAt, continuation);
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
