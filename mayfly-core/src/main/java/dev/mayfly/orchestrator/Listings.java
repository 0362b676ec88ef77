package dev.mayfly.orchestrator;

import dev.mayfly.json.Json;
import dev.mayfly.store.BatchRecord;
import dev.mayfly.store.RecordJson;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.TaskFilter;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import dev.mayfly.task.TaskState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A home's work as it is shown, the same by {@code mayfly status} reading the store and by a server's
 * API: each record's JSON ({@link RecordJson}) with its state as shown, marked when its supervisor is
 * gone ({@link SupervisorLiveness#shownState}).
 */
public final class Listings {

    /** The running tasks counted for the nodes' list: far more than a cluster's pools hold. */
    private static final int RUNNING_COUNTED = 100_000;

    private Listings() {}

    /** A task as a list shows it. */
    public static Map<String, Object> task(TaskStore store, TaskRecord task, Instant now) {
        Map<String, Object> json = RecordJson.json(task);
        json.put("stateShown", taskState(store, task, now));
        return json;
    }

    /** A task in full: {@link RecordJson#detail} with its state as shown. */
    public static Map<String, Object> taskDetail(TaskStore store, TaskRecord task, Instant now) {
        return RecordJson.detail(store, task, taskState(store, task, now));
    }

    private static String taskState(TaskStore store, TaskRecord task, Instant now) {
        return SupervisorLiveness.shownState(store, task, SupervisorLiveness.thisHost(), now);
    }

    /** A run with its steps, and its state as shown. */
    public static Map<String, Object> run(TaskStore store, RunRecord run, Instant now) {
        Map<String, Object> json = RecordJson.json(run, store.runs().steps(run.id()));
        json.put("stateShown", runState(store, run, now));
        return json;
    }

    /** The most recent runs, newest first; of those, the ones created since {@code since} (null: all). */
    public static List<Map<String, Object>> recentRuns(TaskStore store, int limit, Instant since, Instant now) {
        return store.runs().recentRuns(limit).stream().filter(run -> since == null || !run.createdAt().isBefore(since))
                .map(run -> RecordJson.listed(run, store.runs().steps(run.id()), runState(store, run, now)))
                .toList();
    }

    /** The most recent batches, newest first; of those, the ones created since {@code since} (null: all). */
    public static List<Map<String, Object>> recentBatches(TaskStore store, int limit, Instant since, Instant now) {
        return store.batches().recentBatches(limit).stream()
                .filter(batch -> since == null || !batch.createdAt().isBefore(since))
                .map(batch -> RecordJson.listed(batch, store.batches().lastTasks(batch.id()),
                        SupervisorLiveness.shownState(store, batch.state().label(), batch.state() == BatchRecord.State.RUNNING,
                                batch.supervisorId(), SupervisorLiveness.thisHost(), now)))
                .toList();
    }

    /**
     * Every supervisor not stopped, on any machine sharing the store: the nodes of a cluster, and a
     * {@code run} or {@code batch} in a terminal. Each with its host, pid, start, last heartbeat,
     * whether it is alive as seen from here, how many tasks it runs now, and the live figures (pool,
     * queue, heap, resident memory) it kept with its last beat.
     */
    public static List<Map<String, Object>> nodes(TaskStore store, Instant now) {
        String host = SupervisorLiveness.thisHost();
        Map<String, Long> running = store.findTasks(new TaskFilter(TaskState.RUNNING, null, RUNNING_COUNTED)).stream()
                .collect(Collectors.groupingBy(TaskRecord::supervisorId, Collectors.counting()));
        return store.unstoppedSupervisors().stream().map(supervisor -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("supervisorId", supervisor.id());
            json.put("host", supervisor.host());
            json.put("pid", supervisor.pid());
            json.put("startedAt", String.valueOf(supervisor.startedAt()));
            json.put("heartbeatAt", supervisor.heartbeatAt() == null ? null : supervisor.heartbeatAt().toString());
            json.put("alive", SupervisorLiveness.isAlive(supervisor, host, now));
            json.put("runningTasks", running.getOrDefault(supervisor.id(), 0L));
            json.put("figures", store.lastFigures(supervisor.id()).map(Json::readOrText).orElse(null));
            return json;
        }).toList();
    }

    private static String runState(TaskStore store, RunRecord run, Instant now) {
        return SupervisorLiveness.shownState(store, run.state().label(), run.state() == RunRecord.State.RUNNING,
                run.supervisorId(), SupervisorLiveness.thisHost(), now);
    }
}
