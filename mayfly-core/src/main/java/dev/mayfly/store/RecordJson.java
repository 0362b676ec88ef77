package dev.mayfly.store;

import dev.mayfly.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's records as JSON objects, the same wherever they are shown: {@code mayfly status
 * --json} and the HTTP API. Times are ISO-8601 text; a record's own JSON (params, event data) is
 * nested as JSON, not as a string.
 */
public final class RecordJson {

    private RecordJson() {}

    /**
     * A task with all the store knows of it: its fields, the run and step it ran for, its result, its
     * events, memory samples and attempts, and its context's tiers.
     */
    public static Map<String, Object> detail(TaskStore store, TaskRecord task) {
        Map<String, Object> object = json(task);
        object.put("run", store.runs().stepOf(task.id())
                .map(step -> (Object) Map.of("runId", step.runId(), "step", step.stepId())).orElse(null));
        object.put("result", Json.readOrText(task.resultJson()));
        object.put("events", store.events(task.id()).stream().map(RecordJson::json).toList());
        object.put("memorySamples", store.memorySamples(task.id()).stream().map(RecordJson::json).toList());
        object.put("attemptHistory", store.attempts().attempts(task.id()).stream().map(RecordJson::json).toList());
        object.put("context", store.contextTiers(task.id()).stream().map(tier -> (Object) Map.of("tier", tier.tier(),
                "segments", tier.segments(), "tokens", tier.tokens())).toList());
        return object;
    }

    public static Map<String, Object> json(TaskRecord task) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("taskId", task.id());
        map.put("state", task.state().label());
        map.put("reason", task.reason() == null ? null : task.reason().label());
        map.put("mode", task.mode().label());
        map.put("agent", task.agent());
        map.put("prompt", task.prompt());
        map.put("params", Json.readOrText(task.paramsJson()));
        map.put("complexity", task.complexity());
        map.put("longRunning", task.longRunning());
        map.put("routingReason", task.routingReason());
        map.put("exitCode", task.exitCode());
        map.put("pid", task.pid());
        map.put("attempts", task.attempts());
        map.put("rotations", task.rotations());
        map.put("heapLimitMb", task.heapLimitMb());
        map.put("timeoutMs", task.timeoutMs());
        map.put("priority", task.priority());
        map.put("createdAt", text(task.createdAt()));
        map.put("startedAt", text(task.startedAt()));
        map.put("finishedAt", text(task.finishedAt()));
        map.put("executionTimeMs", task.executionTimeMs());
        map.put("memoryPeakMb", task.memoryPeakMb());
        map.put("rssPeakMb", task.rssPeakMb());
        map.put("residentPeakMb", task.residentPeakMb());
        map.put("memoryCapMb", task.memoryCapMb());
        map.put("waitReason", task.waitReason());
        map.put("error", task.error());
        map.put("supervisorId", task.supervisorId());
        map.put("folder", task.logPath() == null ? null : Path.of(task.logPath()).getParent().toString());
        return map;
    }

    public static Map<String, Object> json(EventRecord event) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("at", event.at().toString());
        map.put("type", event.type());
        map.put("data", Json.readOrText(event.dataJson()));
        return map;
    }

    public static Map<String, Object> json(MemorySampleRecord sample) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("at", sample.at().toString());
        map.putAll(sample.sample().toMap());
        map.put("residentMb", sample.residentMb());
        map.put("processes", sample.processes());
        return map;
    }

    public static Map<String, Object> json(AttemptRecord attempt) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("attempt", attempt.attempt());
        map.put("kind", attempt.kind().label());
        map.put("heapMb", attempt.heapMb());
        map.put("memoryCapMb", attempt.memoryCapMb());
        map.put("enforcement", attempt.enforcement());
        map.put("pid", attempt.pid());
        map.put("startedAt", text(attempt.startedAt()));
        map.put("endedAt", text(attempt.endedAt()));
        map.put("outcome", attempt.outcome());
        map.put("error", attempt.error());
        map.put("heapPeakMb", attempt.heapPeakMb());
        map.put("residentPeakMb", attempt.residentPeakMb());
        map.put("escaped", attempt.escaped());
        return map;
    }

    /** A workflow run with its steps (each with its result), as {@code mayfly status RUN_ID --json} shows it. */
    public static Map<String, Object> json(RunRecord run, List<RunStepRecord> steps) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("runId", run.id());
        object.put("workflow", run.workflow());
        object.put("status", run.state().label());
        object.put("failedStep", run.failedStep());
        object.put("prompt", run.prompt());
        object.put("folder", run.folder());
        object.put("createdAt", text(run.createdAt()));
        object.put("finishedAt", text(run.finishedAt()));
        object.put("steps", steps(steps, true));
        return object;
    }

    /** A run's steps: id, status, attempt, taskId, error, and (when asked) result. */
    public static List<Object> steps(List<RunStepRecord> steps, boolean withResults) {
        List<Object> list = new ArrayList<>();
        for (RunStepRecord step : steps) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", step.stepId());
            entry.put("status", step.state().label());
            entry.put("attempt", step.attempt());
            entry.put("taskId", step.taskId());
            entry.put("error", step.error());
            if (withResults) {
                entry.put("result", Json.readOrText(step.resultJson()));
            }
            list.add(entry);
        }
        return list;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
