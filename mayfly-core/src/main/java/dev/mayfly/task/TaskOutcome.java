package dev.mayfly.task;

/**
 * How a task ended.
 *
 * @param state completed or failed (or cancelled)
 * @param reason why it failed; null when completed
 * @param exitCode the worker's exit code, or the agent's own (a command's); null when none
 * @param executionTimeMs how long it ran
 * @param memoryPeakMb the highest heap use seen
 * @param rssPeakMb the highest resident set seen, or -1 when unknown
 * @param resultJson the agent's result as JSON, when completed
 * @param error what went wrong, in one line, when failed
 */
public record TaskOutcome(TaskState state, FailureReason reason, Integer exitCode, long executionTimeMs,
        double memoryPeakMb, double rssPeakMb, String resultJson, String error) {

    public static TaskOutcome completed(Integer exitCode, long executionTimeMs, double memoryPeakMb, double rssPeakMb,
            String resultJson) {
        return new TaskOutcome(TaskState.COMPLETED, null, exitCode, executionTimeMs, memoryPeakMb, rssPeakMb,
                resultJson, null);
    }

    public static TaskOutcome failed(FailureReason reason, Integer exitCode, long executionTimeMs, double memoryPeakMb,
            double rssPeakMb, String error) {
        return new TaskOutcome(TaskState.FAILED, reason, exitCode, executionTimeMs, memoryPeakMb, rssPeakMb, null, error);
    }

    /**
     * This outcome as the end of a task that ran in several workers: the whole time, the highest
     * peaks, and the given reason and error (null reason: completed as it was).
     */
    public TaskOutcome across(long totalMs, double heapPeakMb, double rssPeakMbAcross, FailureReason reason, String why) {
        if (reason == null) {
            return new TaskOutcome(state, null, exitCode, totalMs, heapPeakMb, rssPeakMbAcross, resultJson, error);
        }
        return new TaskOutcome(TaskState.FAILED, reason, exitCode, totalMs, heapPeakMb, rssPeakMbAcross, null, why);
    }
}
