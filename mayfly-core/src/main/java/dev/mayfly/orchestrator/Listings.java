package dev.mayfly.orchestrator;

import dev.mayfly.store.BatchRecord;
import dev.mayfly.store.RecordJson;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A home's work as it is shown, the same by {@code mayfly status} reading the store and by a server's
 * API: each record's JSON ({@link RecordJson}) with its state as shown, marked when its supervisor is
 * gone ({@link SupervisorLiveness#shownState}).
 */
public final class Listings {

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

    private static String runState(TaskStore store, RunRecord run, Instant now) {
        return SupervisorLiveness.shownState(store, run.state().label(), run.state() == RunRecord.State.RUNNING,
                run.supervisorId(), SupervisorLiveness.thisHost(), now);
    }
}
