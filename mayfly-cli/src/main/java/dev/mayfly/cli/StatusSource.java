package dev.mayfly.cli;

import dev.mayfly.client.MayflyClient;
import dev.mayfly.client.MayflyClientException;
import dev.mayfly.config.AgentProviders;
import dev.mayfly.errors.UsageException;
import dev.mayfly.orchestrator.Listings;
import dev.mayfly.store.ContextTier;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.RecordJson;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.RunStepRecord;
import dev.mayfly.store.RunStore;
import dev.mayfly.store.TaskFilter;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Where {@code mayfly status} reads: the home's store, or a server's API ({@code --server URL}). Both
 * give the same records and the same JSON ({@link Listings}), so that what is printed is the same.
 */
interface StatusSource {

    /** A task as listed: its record, its state as shown, and its JSON. */
    record Listed(TaskRecord task, String stateShown, Map<String, Object> json) {}

    /** A task in full: what the text shows, and its JSON. */
    record Detail(TaskDetail.Facts facts, Map<String, Object> json) {}

    /** A workflow run: its record and steps, its state as shown, and its JSON. */
    record Run(RunRecord run, List<RunStepRecord> steps, String stateShown, Map<String, Object> json) {}

    List<Listed> tasks(TaskFilter filter);

    /** The recent runs as {@link Listings#recentRuns} lists them. */
    List<Map<String, Object>> runs(int limit, Instant since);

    /** The recent batches as {@link Listings#recentBatches} lists them. */
    List<Map<String, Object>> batches(int limit, Instant since);

    /** @throws UsageException when there is no such task */
    Detail task(String taskId, AgentProviders agents);

    /** @throws UsageException when there is no such run */
    Run run(String runId);

    /**
     * A task in full from its JSON, as {@link Listings#taskDetail} makes it, wherever that was made: the
     * store's and a server's are printed by the same path.
     */
    @SuppressWarnings("unchecked")
    static Detail detail(Map<String, Object> json, AgentProviders agents) {
        TaskRecord task = RecordJson.task(json);
        List<EventRecord> events = each(json, "events", RecordJson::event, task.id());
        Map<String, Object> step = (Map<String, Object>) json.get("run");
        String heapDump = (String) json.get("heapDump");
        TaskDetail.Facts facts = new TaskDetail.Facts(task, (String) json.get("stateShown"), events,
                TaskDetail.agentLines(agents, task, events), each(json, "memorySamples", RecordJson::sample, task.id()),
                each(json, "context", (id, tier) -> new ContextTier((String) tier.get("tier"),
                        ((Number) tier.get("segments")).longValue(), ((Number) tier.get("tokens")).longValue()), task.id()),
                each(json, "attemptHistory", RecordJson::attempt, task.id()), (List<String>) json.get("logTail"),
                heapDump == null ? null : Path.of(heapDump),
                step == null ? null : new RunStore.StepOfRun((String) step.get("runId"), (String) step.get("step")));
        return new Detail(facts, json);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> each(Map<String, Object> json, String field,
            BiFunction<String, Map<String, Object>, T> read, String taskId) {
        return ((List<Map<String, Object>>) json.get(field)).stream().map(item -> read.apply(taskId, item)).toList();
    }

    /** The home's store, as the supervisors of this machine write it. */
    record OfStore(TaskStore store, String where, Clock clock) implements StatusSource {

        @Override
        public List<Listed> tasks(TaskFilter filter) {
            return store.findTasks(filter).stream().map(task -> {
                Map<String, Object> json = Listings.task(store, task, clock.instant());
                return new Listed(task, (String) json.get("stateShown"), json);
            }).toList();
        }

        @Override
        public List<Map<String, Object>> runs(int limit, Instant since) {
            return Listings.recentRuns(store, limit, since, clock.instant());
        }

        @Override
        public List<Map<String, Object>> batches(int limit, Instant since) {
            return Listings.recentBatches(store, limit, since, clock.instant());
        }

        @Override
        public Detail task(String taskId, AgentProviders agents) {
            TaskRecord task = store.findTask(taskId).orElseThrow(() ->
                    new UsageException("no task '" + taskId + "' in " + where + "; 'mayfly status' lists the recent ones"));
            return detail(Listings.taskDetail(store, task, clock.instant()), agents);
        }

        @Override
        public Run run(String runId) {
            RunRecord run = store.runs().findRun(runId).orElseThrow(() ->
                    new UsageException("no run '" + runId + "' in " + where));
            Map<String, Object> json = Listings.run(store, run, clock.instant());
            return new Run(run, store.runs().steps(runId), (String) json.get("stateShown"), json);
        }
    }

    /** A server's API: the same JSON, read back into the records the views show. */
    record OfServer(MayflyClient client) implements StatusSource {

        @Override
        @SuppressWarnings("unchecked")
        public List<Listed> tasks(TaskFilter filter) {
            StringBuilder query = new StringBuilder("?limit=").append(filter.limit());
            if (filter.state() != null) {
                query.append("&state=").append(filter.state().label());
            }
            if (filter.since() != null) {
                query.append("&since=").append(encoded(filter.since().toString()));
            }
            List<Map<String, Object>> tasks = (List<Map<String, Object>>) get("tasks", "/api/v1/tasks" + query).get("tasks");
            return tasks.stream().map(json -> {
                Map<String, Object> listed = new LinkedHashMap<>(json);
                // What a server adds for its dashboard, which the store's list does not have.
                listed.remove("memoryNowMb");
                return new Listed(RecordJson.task(listed), (String) listed.get("stateShown"), listed);
            }).toList();
        }

        @Override
        public List<Map<String, Object>> runs(int limit, Instant since) {
            return listed("runs", limit, since);
        }

        @Override
        public List<Map<String, Object>> batches(int limit, Instant since) {
            return listed("batches", limit, since);
        }

        @SuppressWarnings("unchecked")
        private List<Map<String, Object>> listed(String kind, int limit, Instant since) {
            return (List<Map<String, Object>>) get(kind, "/api/v1/" + kind + "?limit=" + limit
                    + (since == null ? "" : "&since=" + encoded(since.toString()))).get(kind);
        }

        @Override
        public Detail task(String taskId, AgentProviders agents) {
            return detail(get("task '" + taskId + "'", "/api/v1/tasks/" + encoded(taskId)), agents);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Run run(String runId) {
            Map<String, Object> json = new LinkedHashMap<>(get("run '" + runId + "'", "/api/v1/runs/" + encoded(runId)));
            // The graph the server adds for its dashboard; the steps below carry the same.
            json.remove("graph");
            RunRecord run = RecordJson.run(json);
            List<RunStepRecord> steps = ((List<Map<String, Object>>) json.get("steps")).stream()
                    .map(step -> RecordJson.step(run.id(), step)).toList();
            return new Run(run, steps, (String) json.get("stateShown"), json);
        }

        /** The server's answer; its 404 or 400 is bad input (exit 2), naming the server. */
        private Map<String, Object> get(String what, String path) {
            try {
                return client.get(path);
            } catch (MayflyClientException e) {
                if (e.status() == 404) {
                    throw new UsageException("the server at " + client.url() + " has no " + what + ": " + e.getMessage());
                }
                if (e.status() == 400) {
                    throw new UsageException("the server at " + client.url() + " refused: " + e.getMessage());
                }
                throw e;
            }
        }

        private static String encoded(String text) {
            return URLEncoder.encode(text, StandardCharsets.UTF_8);
        }
    }
}
