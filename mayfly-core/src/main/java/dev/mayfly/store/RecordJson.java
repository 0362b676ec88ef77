package dev.mayfly.store;

import dev.mayfly.json.Json;
import dev.mayfly.routing.Mode;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskState;
import dev.mayfly.worker.MemorySample;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
     * events, memory samples and attempts, and its context's tiers; and from its folder, the end of its
     * log and a heap dump.
     *
     * @param stateShown its state as shown, marked when its supervisor is gone or it waits
     *     ({@code SupervisorLiveness.shownState})
     */
    public static Map<String, Object> detail(TaskStore store, TaskRecord task, String stateShown) {
        Map<String, Object> object = json(task);
        object.put("stateShown", stateShown);
        object.put("run", store.runs().stepOf(task.id())
                .map(step -> (Object) Map.of("runId", step.runId(), "step", step.stepId())).orElse(null));
        object.put("result", Json.readOrText(task.resultJson()));
        object.put("events", store.events(task.id()).stream().map(RecordJson::json).toList());
        object.put("memorySamples", store.memorySamples(task.id()).stream().map(RecordJson::json).toList());
        object.put("attemptHistory", store.attempts().attempts(task.id()).stream().map(RecordJson::json).toList());
        object.put("context", store.contextTiers(task.id()).stream().map(tier -> (Object) Map.of("tier", tier.tier(),
                "segments", tier.segments(), "tokens", tier.tokens())).toList());
        Path heapDump = TaskFolder.heapDump(task);
        object.put("heapDump", heapDump == null ? null : heapDump.toString());
        object.put("logTail", TaskFolder.logTail(task));
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
        object.put("source", run.source());
        object.put("definition", run.definition());
        object.put("steps", steps(steps, true));
        return object;
    }

    /**
     * A run as a list shows it: how many of its steps completed, with its state as shown.
     *
     * @param stateShown marked when it runs and its supervisor is gone
     */
    public static Map<String, Object> listed(RunRecord run, List<RunStepRecord> steps, String stateShown) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("runId", run.id());
        object.put("workflow", run.workflow());
        object.put("status", run.state().label());
        object.put("stateShown", stateShown);
        object.put("stepsCompleted", steps.stream().filter(step -> step.state() == RunStepRecord.State.COMPLETED).count());
        object.put("steps", steps.size());
        object.put("prompt", run.prompt());
        object.put("createdAt", text(run.createdAt()));
        return object;
    }

    /**
     * A batch as a list shows it: how many of its lines completed, with its state as shown.
     *
     * @param stateShown marked when it runs and its supervisor is gone
     */
    public static Map<String, Object> listed(BatchRecord batch, List<BatchStore.LineTask> lastTasks, String stateShown) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("batchId", batch.id());
        object.put("state", batch.state().label());
        object.put("stateShown", stateShown);
        object.put("linesCompleted", lastTasks.stream().filter(line -> line.state() == TaskState.COMPLETED).count());
        object.put("lines", batch.lines());
        object.put("source", batch.file());
        object.put("createdAt", text(batch.createdAt()));
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

    // Back from JSON: what a client of a server (mayfly status --server) reads, to show it as the store's.

    /**
     * A task back from {@link #json(TaskRecord)}, with its result when the object has one (a detail's).
     * Its work folder and version are not in the JSON: they are null and 0.
     */
    public static TaskRecord task(Map<String, Object> map) {
        String reason = (String) map.get("reason");
        String folder = (String) map.get("folder");
        return TaskRecord.builder((String) map.get("taskId"))
                .supervisorId((String) map.get("supervisorId"))
                .prompt((String) map.get("prompt"))
                .agent((String) map.get("agent"))
                .paramsJson(Json.write(map.get("params")))
                .complexity(number(map, "complexity").doubleValue())
                .longRunning(Boolean.TRUE.equals(map.get("longRunning")))
                .mode(Mode.fromLabel((String) map.get("mode")))
                .routingReason((String) map.get("routingReason"))
                .state(TaskState.fromLabel((String) map.get("state")))
                .reason(reason == null ? null : FailureReason.fromLabel(reason))
                .exitCode(integer(map, "exitCode"))
                .pid(whole(map, "pid"))
                .heapLimitMb(integer(map, "heapLimitMb"))
                .timeoutMs(number(map, "timeoutMs").longValue())
                .priority(number(map, "priority").intValue())
                .logPath(folder == null ? null : Path.of(folder).resolve(NewTask.LOG_FILE).toString())
                .createdAt(instant(map, "createdAt"))
                .startedAt(instant(map, "startedAt"))
                .finishedAt(instant(map, "finishedAt"))
                .executionTimeMs(whole(map, "executionTimeMs"))
                .memoryPeakMb(decimal(map, "memoryPeakMb"))
                .rssPeakMb(decimal(map, "rssPeakMb"))
                .resultJson(map.get("result") == null ? null : Json.write(map.get("result")))
                .error((String) map.get("error"))
                .attempts(number(map, "attempts").intValue())
                .rotations(number(map, "rotations").intValue())
                .residentPeakMb(decimal(map, "residentPeakMb"))
                .memoryCapMb(integer(map, "memoryCapMb"))
                .waitReason((String) map.get("waitReason"))
                .build();
    }

    /** An event of {@code taskId} back from {@link #json(EventRecord)} (its id and supervisor are not in the JSON). */
    public static EventRecord event(String taskId, Map<String, Object> map) {
        return new EventRecord(0, taskId, null, instant(map, "at"), (String) map.get("type"), Json.write(map.get("data")));
    }

    /** A memory sample of {@code taskId} back from {@link #json(MemorySampleRecord)}. */
    public static MemorySampleRecord sample(String taskId, Map<String, Object> map) {
        return new MemorySampleRecord(taskId, instant(map, "at"), MemorySample.fromMap(map), decimal(map, "residentMb"),
                integer(map, "processes"));
    }

    /** An attempt of {@code taskId} back from {@link #json(AttemptRecord)}. */
    public static AttemptRecord attempt(String taskId, Map<String, Object> map) {
        return new AttemptRecord(taskId, number(map, "attempt").intValue(), AttemptRecord.Kind.fromLabel((String) map.get("kind")),
                integer(map, "heapMb"), integer(map, "memoryCapMb"), (String) map.get("enforcement"), whole(map, "pid"),
                instant(map, "startedAt"), instant(map, "endedAt"), (String) map.get("outcome"), (String) map.get("error"),
                decimal(map, "heapPeakMb"), decimal(map, "residentPeakMb"), integer(map, "escaped"));
    }

    /**
     * A run back from {@link #json(RunRecord, List)}. Its supervisor, parameters and complexity are not
     * in the JSON: they are null, {@code {}} and 0.
     */
    public static RunRecord run(Map<String, Object> map) {
        return new RunRecord((String) map.get("runId"), null, (String) map.get("workflow"), (String) map.get("source"),
                (String) map.get("definition"), (String) map.get("prompt"), "{}", 0,
                RunRecord.State.valueOf(((String) map.get("status")).toUpperCase(Locale.ROOT)), (String) map.get("failedStep"),
                (String) map.get("folder"), instant(map, "createdAt"), instant(map, "finishedAt"));
    }

    /** A step of {@code runId} back from {@link #steps}; its times are not in the JSON. */
    public static RunStepRecord step(String runId, Map<String, Object> map) {
        return new RunStepRecord(runId, (String) map.get("id"),
                RunStepRecord.State.valueOf(((String) map.get("status")).toUpperCase(Locale.ROOT)),
                number(map, "attempt").intValue(), (String) map.get("taskId"),
                map.get("result") == null ? null : Json.write(map.get("result")), (String) map.get("error"), null, null);
    }

    private static Number number(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value instanceof Number number) {
            return number;
        }
        throw new IllegalArgumentException("'" + key + "' is " + value + ", not a number");
    }

    private static Long whole(Map<String, Object> map, String key) {
        return map.get(key) == null ? null : number(map, key).longValue();
    }

    private static Integer integer(Map<String, Object> map, String key) {
        return map.get(key) == null ? null : number(map, key).intValue();
    }

    private static Double decimal(Map<String, Object> map, String key) {
        return map.get(key) == null ? null : number(map, key).doubleValue();
    }

    private static Instant instant(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null ? null : Instant.parse((String) value);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
