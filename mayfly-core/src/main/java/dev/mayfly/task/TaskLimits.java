package dev.mayfly.task;

import dev.mayfly.memory.MemorySettings;
import dev.mayfly.config.Settings;
import dev.mayfly.errors.UsageException;
import java.time.Duration;

/**
 * What a task may take.
 *
 * @param heapMb a worker's heap cap, its {@code -Xmx}
 * @param memoryMb the cap on the task's whole process tree (the worker or command and all it starts)
 * @param timeout how long it may run, across all its workers
 * @param retries how many more attempts it gets after {@code crashed} or {@code out_of_memory}
 * @param growMemory whether a retry after {@code out_of_memory} gets 1.5 times the heap and tree cap
 * @param capGiven whether the tree cap was given (a flag, a variable, a batch line, a step); a
 *     default cap may start smaller when the host has less memory available
 */
public record TaskLimits(int heapMb, int memoryMb, Duration timeout, int retries, boolean growMemory, boolean capGiven) {

    /** How much more a retry after {@code out_of_memory} gets. */
    public static final double GROWTH = 1.5;
    /** A retry's caps grow to at most this many times the first attempt's. */
    public static final int MAX_GROWTH = 4;
    static final int MAX_HEAP_MB = 1024 * 1024;

    /** Values given for one task (a batch line, a workflow step); null where the settings apply. */
    public record Overrides(Integer heapMb, Integer memoryMb, Duration timeout, Integer retries, Boolean growMemory) {

        public static Overrides none() {
            return new Overrides(null, null, null, null, null);
        }
    }

    /**
     * Limits without settings (tests, benchmarks): the default tree cap, no retries.
     */
    public static TaskLimits of(int heapMb, Duration timeout) {
        return new TaskLimits(heapMb, Math.max(MemorySettings.DEFAULT_CAP_MB, 2 * heapMb), timeout, 0, true, false);
    }

    /** The settings' limits. */
    public static TaskLimits of(Settings settings) {
        return of(settings, Overrides.none());
    }

    /**
     * The settings' limits with a task's own values; a task that names its heap but not its tree cap
     * gets the default cap for that heap (twice it, unless a cap is set for all tasks).
     */
    public static TaskLimits of(Settings settings, Overrides overrides) {
        int heap = overrides.heapMb() != null ? overrides.heapMb() : settings.heapMb();
        int retries = overrides.retries() != null ? overrides.retries() : settings.retry().retries();
        return new TaskLimits(heap,
                overrides.memoryMb() != null ? overrides.memoryMb() : settings.memory().capFor(heap),
                overrides.timeout() != null ? overrides.timeout() : settings.timeout(),
                retries,
                overrides.growMemory() != null ? overrides.growMemory() : settings.retry().growMemory(),
                overrides.memoryMb() != null || settings.memory().capMb() != null);
    }

    /**
     * Checks a tree cap given for one task (a batch line's or a step's {@code memoryMb}).
     *
     * @throws UsageException naming {@code field}, when the host could never give it
     */
    public static int checkMemoryMb(String field, long value, MemorySettings memory) {
        if (value < MemorySettings.MIN_CAP_MB || value > memory.maxCapMb()) {
            throw UsageException.invalid(field, Long.toString(value), memory.acceptedCaps());
        }
        return (int) value;
    }

    /**
     * The limits of a retry after {@code out_of_memory}: heap and tree cap 1.5 times these, the tree
     * cap at most {@code maxMemoryMb}. Unchanged when growing is off.
     */
    public TaskLimits grown(int maxMemoryMb) {
        if (!growMemory) {
            return this;
        }
        return new TaskLimits((int) Math.min(MAX_HEAP_MB, Math.round(heapMb * GROWTH)),
                (int) Math.max(memoryMb, Math.min(maxMemoryMb, Math.round(memoryMb * GROWTH))), timeout, retries, growMemory,
                capGiven);
    }

    /** These limits with the cap a task started with (a default cap, made to fit what was available). */
    public TaskLimits withMemoryMb(int capMb) {
        return new TaskLimits(heapMb, capMb, timeout, retries, growMemory, capGiven);
    }
}
