package dev.mayfly.task;

/**
 * How a task ended.
 *
 * @param state completed or failed (or cancelled)
 * @param reason why it failed; null when completed
 * @param exitCode the worker's exit code, or the agent's own (a command's); null when none
 * @param executionTimeMs how long it ran
 * @param memoryPeakMb the highest heap use seen in its worker JVM, or -1 when it had none of its own
 *     (in-process: the supervisor's heap is shared, so no figure is the task's)
 * @param rssPeakMb the worker JVM's highest resident set, or -1 when unknown
 * @param resultJson the agent's result as JSON, when completed
 * @param error what went wrong, in one line, when failed
 * @param residentPeakMb the highest memory of its whole process tree, shared pages counted once, or
 *     -1 when not measured (an in-process Java agent)
 * @param memoryCapMb the cap on its process tree (its last attempt's), or null when not measured
 */
public record TaskOutcome(TaskState state, FailureReason reason, Integer exitCode, long executionTimeMs,
        double memoryPeakMb, double rssPeakMb, String resultJson, String error, double residentPeakMb,
        Integer memoryCapMb) {

    public static TaskOutcome completed(Integer exitCode, long executionTimeMs, double memoryPeakMb, double rssPeakMb,
            String resultJson) {
        return new TaskOutcome(TaskState.COMPLETED, null, exitCode, executionTimeMs, memoryPeakMb, rssPeakMb,
                resultJson, null, -1, null);
    }

    public static TaskOutcome failed(FailureReason reason, Integer exitCode, long executionTimeMs, double memoryPeakMb,
            double rssPeakMb, String error) {
        return new TaskOutcome(TaskState.FAILED, reason, exitCode, executionTimeMs, memoryPeakMb, rssPeakMb, null, error,
                -1, null);
    }

    /**
     * A failure with nothing to measure: no exit code, no time run, no memory figures (a task that
     * was stopped before it started, or ended between its processes).
     */
    public static TaskOutcome failed(FailureReason reason, String error) {
        return failed(reason, null, 0, -1, -1, error);
    }

    /** What a user who cancels a task is told, and what the task's error says. */
    public static final String CANCELLED_BY_USER = "cancelled by the user (mayfly cancel)";

    /** A task a user cancelled when none of it was running: nothing measured. */
    public static TaskOutcome cancelled(String why) {
        return new TaskOutcome(TaskState.CANCELLED, null, null, 0, -1, -1, null, why, -1, null);
    }

    /** A task a user cancelled before it ran. */
    public static TaskOutcome cancelledBeforeStart() {
        return cancelled(CANCELLED_BY_USER + ", before it started");
    }

    /**
     * This outcome as the end of a task a user cancelled while it ran: what was measured stays, no
     * result, no reason (cancelled is not a failure, and is never retried).
     */
    public TaskOutcome asCancelled(String why) {
        return new TaskOutcome(TaskState.CANCELLED, null, exitCode, executionTimeMs, memoryPeakMb, rssPeakMb, null, why,
                residentPeakMb, memoryCapMb);
    }

    /** Whether the task completed (neither failed nor cancelled). */
    public boolean succeeded() {
        return state == TaskState.COMPLETED;
    }

    /** How it ended in one word: the reason of a failure ({@code timed_out}), else the state ({@code cancelled}). */
    public String label() {
        return state == TaskState.FAILED && reason != null ? reason.label() : state.label();
    }

    /** Why it did not complete, for a log line: {@code " (timed_out: past its timeout)"}; nothing when it completed. */
    public String why() {
        return succeeded() ? "" : " (" + label() + ": " + error + ")";
    }

    /** How it ended in a word or two: {@code completed}, {@code cancelled}, or {@code failed: REASON}. */
    public String verdict() {
        return state == TaskState.FAILED && reason != null ? "failed: " + reason.label() : state.label();
    }

    /** A memory figure as it is stored and shown: null where it was not measured (-1). */
    public static Double measured(double megabytes) {
        return megabytes < 0 ? null : megabytes;
    }

    /** This outcome with its process tree's peak and cap. */
    public TaskOutcome withTree(double peakMb, Integer capMb) {
        return new TaskOutcome(state, reason, exitCode, executionTimeMs, memoryPeakMb, rssPeakMb, resultJson, error, peakMb,
                capMb);
    }

    /** This outcome as a failure for another reason (memory ended it, whatever the agent said on its way out). */
    public TaskOutcome failedFor(FailureReason newReason, String why) {
        return new TaskOutcome(TaskState.FAILED, newReason, exitCode, executionTimeMs, memoryPeakMb, rssPeakMb, null, why,
                residentPeakMb, memoryCapMb);
    }

    /**
     * This outcome as the end of a task that ran in several workers: the whole time, the highest
     * peaks, and the given reason and error (null reason: completed as it was).
     */
    public TaskOutcome across(long totalMs, Peaks peaks, FailureReason newReason, String why) {
        if (newReason == null) {
            return new TaskOutcome(state, null, exitCode, totalMs, peaks.heapMb(), peaks.rssMb(), resultJson, error,
                    peaks.residentMb(), memoryCapMb);
        }
        return new TaskOutcome(TaskState.FAILED, newReason, exitCode, totalMs, peaks.heapMb(), peaks.rssMb(), null, why,
                peaks.residentMb(), memoryCapMb);
    }

    /** The highest memory figures across a task's attempts. */
    public record Peaks(double heapMb, double rssMb, double residentMb) {

        public static final Peaks NONE = new Peaks(-1, -1, -1);

        public Peaks with(TaskOutcome outcome) {
            return new Peaks(Math.max(heapMb, outcome.memoryPeakMb()), Math.max(rssMb, outcome.rssPeakMb()),
                    Math.max(residentMb, outcome.residentPeakMb()));
        }
    }
}
