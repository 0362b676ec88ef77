package dev.mayfly.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch as the store has it: its state, how many of its lines' tasks are in each state, and each
 * line's last task.
 *
 * @param state running, completed, failed, interrupted or cancelled
 * @param counts the lines' tasks by state (queued, running, completed, failed, cancelled)
 */
public record BatchView(String batchId, String state, int lines, Instant createdAt, Map<String, Integer> counts,
        List<Line> tasks) {

    /** A line of the batch (numbered from 1) and its last task. */
    public record Line(int line, TaskView task) {}

    @SuppressWarnings("unchecked")
    public static BatchView of(Map<String, Object> json) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        ((Map<String, Object>) json.get("counts")).forEach((state, count) -> counts.put(state, ((Number) count).intValue()));
        List<Line> tasks = ((List<Map<String, Object>>) json.get("tasks")).stream()
                .map(task -> new Line(((Number) task.get("line")).intValue(), TaskView.of(task))).toList();
        return new BatchView((String) json.get("batchId"), (String) json.get("state"), ((Number) json.get("lines")).intValue(),
                Instant.parse((String) json.get("createdAt")), counts, tasks);
    }

    /** Whether it has ended. */
    public boolean ended() {
        return !"running".equals(state);
    }
}
