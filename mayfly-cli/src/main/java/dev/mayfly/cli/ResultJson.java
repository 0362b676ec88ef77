package dev.mayfly.cli;

import dev.mayfly.client.TaskView;
import dev.mayfly.json.Json;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.task.TaskOutcome;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished task as {@code --json} prints it: taskId, status, reason, mode, exitCode,
 * executionTimeMs, memoryPeakMb, result, error (the SPEC's fields, a stable surface), then
 * residentPeakMb and memoryCapMb (its process tree's peak and cap). memoryPeakMb is the worker
 * JVM's heap peak; null in-process, where the heap is the supervisor's. residentPeakMb and
 * memoryCapMb are null for an in-process Java agent, which cannot be measured apart.
 */
final class ResultJson {

    private ResultJson() {}

    static Map<String, Object> of(TaskResult result) {
        TaskOutcome outcome = result.outcome();
        return of(result.taskId(), outcome.state().label(), outcome.reason() == null ? null : outcome.reason().label(),
                result.routing() == null ? null : result.routing().mode().label(), outcome.exitCode(),
                outcome.executionTimeMs(), TaskOutcome.measured(outcome.memoryPeakMb()), Json.readOrText(outcome.resultJson()),
                outcome.error(), TaskOutcome.measured(outcome.residentPeakMb()), outcome.memoryCapMb());
    }

    /** The same, from a server's answer. */
    static Map<String, Object> of(TaskView task) {
        return of(task.taskId(), task.state(), task.reason(), task.mode(), task.exitCode(), task.executionTimeMs(),
                task.memoryPeakMb(), task.result(), task.error(), task.residentPeakMb(), task.memoryCapMb());
    }

    private static Map<String, Object> of(String taskId, String status, String reason, String mode, Integer exitCode,
            Long executionTimeMs, Double memoryPeakMb, Object result, String error, Double residentPeakMb,
            Integer memoryCapMb) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("taskId", taskId);
        object.put("status", status);
        object.put("reason", reason);
        object.put("mode", mode);
        object.put("exitCode", exitCode);
        object.put("executionTimeMs", executionTimeMs);
        object.put("memoryPeakMb", memoryPeakMb);
        object.put("result", result);
        object.put("error", error);
        object.put("residentPeakMb", residentPeakMb);
        object.put("memoryCapMb", memoryCapMb);
        return object;
    }
}
