package dev.mayfly.batch;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.json.Json;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A batch line's task as stored with it (JSON), so that a resume runs it again as the line asked,
 * with the limits it had then, whatever the settings and the batch file are when it resumes. A task
 * submitted to {@code mayfly serve} is stored the same way, for the next server to run.
 */
public final class LineRequest {

    private LineRequest() {}

    public static String toJson(BatchEntry entry) {
        return toJson(entry, null);
    }

    /**
     * The request, and where its task's folder is within the runs folder ({@code task-…}, or
     * {@code run-…/step}): a server node that claims it on another machine makes the folder in its own
     * home, not at the submitting node's absolute path.
     *
     * @param folderInRuns the folder relative to the runs folder, or null when it is not in it
     */
    public static String toJson(BatchEntry entry, Path folderInRuns) {
        TaskRequest request = entry.request();
        TaskLimits limits = request.limits();
        Map<String, Object> limitsMap = new LinkedHashMap<>();
        limitsMap.put("heapMb", limits.heapMb());
        limitsMap.put("memoryMb", limits.memoryMb());
        limitsMap.put("timeoutMs", limits.timeout().toMillis());
        limitsMap.put("retries", limits.retries());
        limitsMap.put("growMemory", limits.growMemory());
        limitsMap.put("capGiven", limits.capGiven());
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("prompt", request.prompt());
        map.put("agent", request.agent().toMap());
        map.put("params", request.params());
        map.put("complexity", request.complexity());
        map.put("workDir", request.workDir().toString());
        map.put("limits", limitsMap);
        map.put("priority", request.priority());
        // Workers on or off as this line was routed (its own flag, else the batch's or USE_WORKERS): a
        // resume routes it the same way.
        map.put("workers", entry.task().routing().workersOn());
        if (folderInRuns != null) {
            map.put("folder", folderInRuns.toString());
        }
        return Json.write(map);
    }

    @SuppressWarnings("unchecked")
    public static BatchEntry fromJson(int line, String json) {
        Map<String, Object> map;
        try {
            map = Json.readObject(json);
        } catch (IOException e) {
            throw new UncheckedIOException("line " + line + "'s stored request is not JSON", e);
        }
        Map<String, Object> limits = (Map<String, Object>) map.get("limits");
        AgentSpec agent = AgentSpec.fromMap((Map<String, Object>) map.get("agent"));
        TaskRequest request = TaskRequest.builder((String) map.get("prompt"), agent)
                .params((Map<String, String>) map.get("params"))
                .complexity(((Number) map.get("complexity")).doubleValue())
                .workDir(Path.of((String) map.get("workDir")))
                .limits(new TaskLimits(number(limits, "heapMb"), number(limits, "memoryMb"),
                        Duration.ofMillis(((Number) limits.get("timeoutMs")).longValue()), number(limits, "retries"),
                        (Boolean) limits.get("growMemory"), (Boolean) limits.get("capGiven")))
                .priority(number(map, "priority")).build();
        return new BatchEntry(line, request, (Boolean) map.get("workers"));
    }

    /** Where the request's task's folder is within the runs folder, when it says so. */
    public static Optional<Path> folderInRuns(String json) {
        try {
            return Optional.ofNullable((String) Json.readObject(json).get("folder")).map(Path::of);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int number(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).intValue();
    }
}
