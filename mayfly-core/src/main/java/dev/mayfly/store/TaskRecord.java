package dev.mayfly.store;

import dev.mayfly.routing.Mode;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskState;
import java.time.Instant;
import java.util.Objects;

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
        String waitReason) {

    /**
     * How it ended, as its supervisor recorded it: for whoever waits for it from the store, on any
     * node (a workflow run whose step another node ran). Meaningful once it has ended.
     */
    public TaskOutcome outcome() {
        return new TaskOutcome(state, reason, exitCode, executionTimeMs == null ? 0 : executionTimeMs, orUnknown(memoryPeakMb),
                orUnknown(rssPeakMb), resultJson, error, orUnknown(residentPeakMb), memoryCapMb);
    }

    /** A figure as an outcome holds it: -1 where it was not measured. */
    private static double orUnknown(Double megabytes) {
        return megabytes == null ? -1 : megabytes;
    }

    /**
     * Starts a record with only its id: the builder names each of the 32 parts, so that two numbers or
     * two times cannot change places unseen. The supervisor, prompt, agent, mode, state and creation
     * time must be given; the parameters default to {@code {}}; everything else starts unknown.
     */
    public static Builder builder(String id) {
        return new Builder().id(id);
    }

    /** Each part of a {@link TaskRecord} by its name. */
    public static final class Builder {
        private String id;
        private String supervisorId;
        private String prompt;
        private String agent;
        private String paramsJson = "{}";
        private double complexity;
        private boolean longRunning;
        private Mode mode;
        private String routingReason;
        private TaskState state;
        private FailureReason reason;
        private Integer exitCode;
        private Long pid;
        private Integer heapLimitMb;
        private long timeoutMs;
        private int priority;
        private String workDir;
        private String logPath;
        private Instant createdAt;
        private Instant startedAt;
        private Instant finishedAt;
        private Long executionTimeMs;
        private Double memoryPeakMb;
        private Double rssPeakMb;
        private String resultJson;
        private String error;
        private long version;
        private int attempts;
        private int rotations;
        private Double residentPeakMb;
        private Integer memoryCapMb;
        private String waitReason;

        private Builder() {}

        public Builder id(String value) {
            id = value;
            return this;
        }

        public Builder supervisorId(String value) {
            supervisorId = value;
            return this;
        }

        public Builder prompt(String value) {
            prompt = value;
            return this;
        }

        public Builder agent(String value) {
            agent = value;
            return this;
        }

        public Builder paramsJson(String value) {
            paramsJson = value;
            return this;
        }

        public Builder complexity(double value) {
            complexity = value;
            return this;
        }

        public Builder longRunning(boolean value) {
            longRunning = value;
            return this;
        }

        public Builder mode(Mode value) {
            mode = value;
            return this;
        }

        public Builder routingReason(String value) {
            routingReason = value;
            return this;
        }

        public Builder state(TaskState value) {
            state = value;
            return this;
        }

        public Builder reason(FailureReason value) {
            reason = value;
            return this;
        }

        public Builder exitCode(Integer value) {
            exitCode = value;
            return this;
        }

        public Builder pid(Long value) {
            pid = value;
            return this;
        }

        public Builder heapLimitMb(Integer value) {
            heapLimitMb = value;
            return this;
        }

        public Builder timeoutMs(long value) {
            timeoutMs = value;
            return this;
        }

        public Builder priority(int value) {
            priority = value;
            return this;
        }

        public Builder workDir(String value) {
            workDir = value;
            return this;
        }

        public Builder logPath(String value) {
            logPath = value;
            return this;
        }

        public Builder createdAt(Instant value) {
            createdAt = value;
            return this;
        }

        public Builder startedAt(Instant value) {
            startedAt = value;
            return this;
        }

        public Builder finishedAt(Instant value) {
            finishedAt = value;
            return this;
        }

        public Builder executionTimeMs(Long value) {
            executionTimeMs = value;
            return this;
        }

        public Builder memoryPeakMb(Double value) {
            memoryPeakMb = value;
            return this;
        }

        public Builder rssPeakMb(Double value) {
            rssPeakMb = value;
            return this;
        }

        public Builder resultJson(String value) {
            resultJson = value;
            return this;
        }

        public Builder error(String value) {
            error = value;
            return this;
        }

        public Builder version(long value) {
            version = value;
            return this;
        }

        public Builder attempts(int value) {
            attempts = value;
            return this;
        }

        public Builder rotations(int value) {
            rotations = value;
            return this;
        }

        public Builder residentPeakMb(Double value) {
            residentPeakMb = value;
            return this;
        }

        public Builder memoryCapMb(Integer value) {
            memoryCapMb = value;
            return this;
        }

        public Builder waitReason(String value) {
            waitReason = value;
            return this;
        }

        public TaskRecord build() {
            return new TaskRecord(Objects.requireNonNull(id, "id"),
                    Objects.requireNonNull(supervisorId, "supervisorId"), Objects.requireNonNull(prompt, "prompt"),
                    Objects.requireNonNull(agent, "agent"), paramsJson, complexity, longRunning,
                    Objects.requireNonNull(mode, "mode"), routingReason, Objects.requireNonNull(state, "state"), reason,
                    exitCode, pid, heapLimitMb, timeoutMs, priority, workDir, logPath,
                    Objects.requireNonNull(createdAt, "createdAt"), startedAt, finishedAt, executionTimeMs,
                    memoryPeakMb, rssPeakMb, resultJson, error, version, attempts, rotations, residentPeakMb,
                    memoryCapMb, waitReason);
        }
    }
}

