package dev.mayfly.store;

import dev.mayfly.routing.Mode;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskState;
import java.time.Instant;

/**
 * A task as stored: what was asked, how it was routed, and how it went. Nullable fields are not
 * known yet. {@code attempts} counts the workers it ran in, {@code rotations} the moves to a fresh
 * worker from a checkpoint. {@code residentPeakMb} and {@code memoryCapMb} are its whole process
 * tree's (null for an in-process Java agent, which cannot be measured apart from the supervisor);
 * {@code waitReason} says why a queued task has not started.
 */
public record TaskRecord(
        String id,
        String supervisorId,
        String prompt,
        String agent,
        String paramsJson,
        double complexity,
        boolean longRunning,
        Mode mode,
        String routingReason,
        TaskState state,
        FailureReason reason,
        Integer exitCode,
        Long pid,
        Integer heapLimitMb,
        long timeoutMs,
        int priority,
        String workDir,
        String logPath,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Long executionTimeMs,
        Double memoryPeakMb,
        Double rssPeakMb,
        String resultJson,
        String error,
        long version,
        int attempts,
        int rotations,
        Double residentPeakMb,
        Integer memoryCapMb,
        String waitReason) {}
