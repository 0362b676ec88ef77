package dev.mayfly.store;

import java.time.Instant;
import java.util.Locale;

/**
 * One attempt of a task: a worker it ran in (the first, one after a rotation or a crash, a retry)
 * or one in-process run, with its limits and how it went.
 *
 * @param kind first, rotation, restart (after a crash, from a checkpoint) or retry
 * @param heapMb the worker's heap cap; null in-process
 * @param memoryCapMb the tree's cap; null when not measured (an in-process Java agent)
 * @param enforcement watched or cgroup; null when not measured
 * @param outcome completed, or the reason it failed; null while it runs
 * @param escaped processes found alive after the attempt's own tree was ended, and ended then
 */
public record AttemptRecord(String taskId, int attempt, Kind kind, Integer heapMb, Integer memoryCapMb, String enforcement,
        Long pid, Instant startedAt, Instant endedAt, String outcome, String error, Double heapPeakMb,
        Double residentPeakMb, Integer escaped) {

    public enum Kind {
        FIRST, ROTATION, RESTART, RETRY;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromLabel(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    /** An attempt that has just started. */
    public static AttemptRecord started(String taskId, int attempt, Kind kind, Integer heapMb, Integer memoryCapMb,
            String enforcement, Long pid, Instant at) {
        return new AttemptRecord(taskId, attempt, kind, heapMb, memoryCapMb, enforcement, pid, at, null, null, null, null,
                null, null);
    }

    /** This attempt, ended. */
    public AttemptRecord ended(Instant at, String how, String why, Double heapPeak, Double residentPeak, int escapedCount) {
        return new AttemptRecord(taskId, attempt, kind, heapMb, memoryCapMb, enforcement, pid, startedAt, at, how, why,
                heapPeak, residentPeak, escapedCount);
    }
}
