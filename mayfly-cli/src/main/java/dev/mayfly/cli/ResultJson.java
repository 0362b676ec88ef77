package dev.mayfly.cli;

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
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("taskId", result.taskId());
        object.put("status", outcome.state().label());
        object.put("reason", outcome.reason() == null ? null : outcome.reason().label());
        object.put("mode", result.routing() == null ? null : result.routing().mode().label());
        object.put("exitCode", outcome.exitCode());
        object.put("executionTimeMs", outcome.executionTimeMs());
        object.put("memoryPeakMb", TaskOutcome.measured(outcome.memoryPeakMb()));
        object.put("result", Json.readOrText(outcome.resultJson()));
        object.put("error", outcome.error());
        object.put("residentPeakMb", TaskOutcome.measured(outcome.residentPeakMb()));
        object.put("memoryCapMb", outcome.memoryCapMb());
        return object;
    }
}
