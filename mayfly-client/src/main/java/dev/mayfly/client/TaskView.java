package dev.mayfly.client;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A task as the store has it: what it was asked, where it ran, and how it ended. Figures are null
 * until known, and where they cannot be measured (an in-process Java agent shares the supervisor's
 * memory: its {@code memoryCapMb} is null). {@code result} is the agent's result as parsed JSON (a
 * map, list, string, number or boolean).
 *
 * @param state queued, running, completed, failed or cancelled
 * @param reason why a task failed or was cancelled (timed_out, out_of_memory, crashed, …)
 * @param mode worker or in-process
 * @param folder the task's folder: its log and artifacts
 */
public record TaskView(String taskId, String state, String reason, String mode, String agent, String prompt,
        Integer exitCode, Integer attempts, Long executionTimeMs, Double memoryPeakMb, Double residentPeakMb,
        Integer memoryCapMb, Instant createdAt, Instant startedAt, Instant finishedAt, Object result, String error,
        String waitReason, String folder) {

    private static final Set<String> ENDED = Set.of("completed", "failed", "cancelled");

    /** A task from its JSON object, as the API and {@code mayfly status --json} write it. */
    public static TaskView of(Map<String, Object> json) {
        return new TaskView(text(json, "taskId"), text(json, "state"), text(json, "reason"), text(json, "mode"),
                text(json, "agent"), text(json, "prompt"), whole(json, "exitCode"), whole(json, "attempts"),
                json.get("executionTimeMs") == null ? null : ((Number) json.get("executionTimeMs")).longValue(),
                megabytes(json, "memoryPeakMb"), megabytes(json, "residentPeakMb"), whole(json, "memoryCapMb"),
                instant(json, "createdAt"), instant(json, "startedAt"), instant(json, "finishedAt"), json.get("result"),
                text(json, "error"), text(json, "waitReason"), text(json, "folder"));
    }

    /** Whether it has ended: completed, failed or cancelled. */
    public boolean ended() {
        return ENDED.contains(state);
    }

    public boolean succeeded() {
        return "completed".equals(state);
    }

    /** How it ended in a word or two: {@code completed}, {@code cancelled}, or {@code failed: REASON}. */
    public String verdict() {
        return "failed".equals(state) && reason != null ? "failed: " + reason : state;
    }

    private static String text(Map<String, Object> json, String field) {
        Object value = json.get(field);
        return value == null ? null : value.toString();
    }

    private static Integer whole(Map<String, Object> json, String field) {
        Object value = json.get(field);
        return value == null ? null : ((Number) value).intValue();
    }

    private static Double megabytes(Map<String, Object> json, String field) {
        Object value = json.get(field);
        return value == null ? null : ((Number) value).doubleValue();
    }

    private static Instant instant(Map<String, Object> json, String field) {
        Object value = json.get(field);
        return value == null ? null : Instant.parse(value.toString());
    }
}
