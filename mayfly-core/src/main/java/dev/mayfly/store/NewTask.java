package dev.mayfly.store;

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
        Instant createdAt) {}
