package dev.mayfly.server;

import dev.mayfly.errors.UsageException;
import dev.mayfly.orchestrator.Listings;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.RecordJson;
import dev.mayfly.store.TaskFilter;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.task.TaskState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/tasks}: submit a task (a batch line's fields), list and filter tasks, one task with
 * all the store knows of it, and cancel one. A submitted task is stored queued before the answer
 * says so, then started by the server's supervisor like any other.
 */
final class TasksApi extends ApiResource {

    static final String PREFIX = "/api/v1/tasks";
    private static final Kind TASK = new Kind("task", "taskId", "state");
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 1000;
    /** Not a batch line's: the folder the agent works in, which a line takes from where the batch runs. */
    static final String WORK_DIR = "workDir";

    private final Orchestrator orchestrator;
    private final ServerQueue queue;
    private final TaskStreams streams;
    private final Clock clock;

    TasksApi(Orchestrator orchestrator, ServerQueue queue, Clock clock) {
        super(PREFIX);
        this.orchestrator = orchestrator;
        this.queue = queue;
        this.streams = new TaskStreams(orchestrator.store(), queue.taskEnds(), clock);
        this.clock = clock;
    }

    @Override
    boolean route(HttpCall call, String method, List<String> parts) throws IOException {
        if (parts.isEmpty() && method.equals("GET")) {
            list(call);
        } else if (parts.isEmpty() && method.equals("POST")) {
            submit(call);
        } else if (parts.size() == 1 && method.equals("GET")) {
            detail(call, parts.get(0));
        } else if (parts.size() == 2 && parts.get(1).equals("cancel") && method.equals("POST")) {
            cancel(call, parts.get(0));
        } else if (parts.size() == 2 && parts.get(1).equals("events") && method.equals("GET")) {
            stream(call, parts.get(0), true);
        } else if (parts.size() == 2 && parts.get(1).equals("log") && method.equals("GET")) {
            stream(call, parts.get(0), false);
        } else {
            return false;
        }
        return true;
    }

    private void list(HttpCall call) throws IOException {
        Map<String, String> query = call.query();
        int limit = HttpCall.number(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = HttpCall.number(query, "offset", 0, 0, Integer.MAX_VALUE);
        TaskFilter filter = new TaskFilter(
                query.containsKey("state") ? TaskFilter.state("state", query.get("state")) : null,
                query.containsKey("reason") ? TaskFilter.reason("reason", query.get("reason")) : null,
                HttpCall.since(query, clock.instant()),
                limit, offset);
        List<TaskRecord> tasks = orchestrator.store().findTasks(filter);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("tasks", tasks.stream().map(this::listed).toList());
        page.put("limit", limit);
        page.put("offset", offset);
        // A full page may have more after it; the next one starts where this ended.
        page.put("nextOffset", tasks.size() == limit ? offset + limit : null);
        call.json(200, page);
    }

    /**
     * A task as listed: its state as shown, and what it holds now while it runs (its process tree's
     * memory, else its heap).
     */
    private Map<String, Object> listed(TaskRecord task) {
        Map<String, Object> json = Listings.task(orchestrator.store(), task, clock.instant());
        if (task.state() == TaskState.RUNNING) {
            json.put("memoryNowMb", orchestrator.store().latestMemorySample(task.id()).map(sample ->
                    sample.residentMb() != null ? sample.residentMb() : sample.sample().heapUsed() >= 0
                            ? (Object) sample.sample().heapUsed() : null).orElse(null));
        }
        return json;
    }

    private void submit(HttpCall call) throws IOException {
        Map<String, Object> fields = new HashMap<>(call.jsonBody());
        NewTask task = queue.submit(fields, workDir(fields.remove(WORK_DIR)));
        call.responseHeader("Location", PREFIX + "/" + task.id());
        call.json(201, RecordJson.json(orchestrator.store().findTask(task.id()).orElseThrow()));
    }

    /** The agent's folder: {@code workDir} when given (an existing absolute folder), else the server's. */
    static Path workDir(Object given) {
        if (given == null) {
            return Path.of("").toAbsolutePath();
        }
        if (!(given instanceof String text) || !Path.of(text).isAbsolute() || !Files.isDirectory(Path.of(text))) {
            throw UsageException.invalid(WORK_DIR, String.valueOf(given), "the absolute path of an existing folder");
        }
        return Path.of((String) given);
    }

    private void detail(HttpCall call, String taskId) throws IOException {
        TaskRecord task = find(taskId);
        call.json(200, Listings.taskDetail(orchestrator.store(), task, clock.instant()));
    }

    private TaskRecord find(String taskId) {
        return orchestrator.store().findTask(taskId).orElseThrow(() -> new HttpCall.Refusal(404,
                "no task '" + taskId + "'"));
    }

    /** The task's events as Server-Sent Events, or its log ({@code ?follow=true}: as it grows), until it ends. */
    private void stream(HttpCall call, String taskId, boolean events) throws IOException {
        TaskRecord task = find(taskId);
        try {
            if (events) {
                streams.events(call, task, lastEventId(call));
            } else {
                streams.log(call, task, "true".equals(call.query().get("follow")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The id a reconnecting reader last had ({@code Last-Event-ID}), or null. */
    private static Long lastEventId(HttpCall call) {
        String given = call.header("Last-Event-ID");
        if (given == null || given.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(given.trim());
        } catch (NumberFormatException e) {
            throw UsageException.invalid("Last-Event-ID", given, "the id of an event this stream sent");
        }
    }

    /**
     * Asks the task's supervisor to cancel it, through the store as {@code mayfly cancel} does; 202,
     * since the task ends a moment later (its state shows it). 409 for a task that has ended.
     */
    private void cancel(HttpCall call, String taskId) throws IOException {
        Optional<TaskRecord> task = orchestrator.store().requestCancel(taskId, clock.instant());
        answerCancel(call, TASK, taskId, task.map(found -> new CancelAsked(found.state().label(), found.state().terminal(),
                found.supervisorId())), orchestrator.store());
    }
}
