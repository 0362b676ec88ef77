package dev.mayfly.server;

import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.routing.Mode;
import dev.mayfly.store.TaskStore;
import dev.mayfly.task.TaskState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/telemetry}: the figures the seeds asked a supervisor to keep, for the dashboard.
 * Task figures come from the store (every supervisor of the home); the pool's, the host's and the
 * supervisor's own are this server's, now.
 *
 * <ul>
 *   <li>tasks by state, and by mode (worker or in-process) with their average execution time;</li>
 *   <li>how ended tasks ended: crash and out-of-memory frequency among them;</li>
 *   <li>the pool: its size, workers active, tasks queued, and the spawn success rate (workers that
 *       started and connected, of those this server tried to start); workers ready, and how many
 *       tasks found one;</li>
 *   <li>the host's memory, and the server JVM's resident memory and heap.</li>
 * </ul>
 */
final class Telemetry {

    private final Orchestrator orchestrator;

    Telemetry(Orchestrator orchestrator) {
        this.orchestrator = orchestrator;
    }

    Map<String, Object> now() {
        List<TaskStore.TaskCount> counts = orchestrator.store().taskCounts();
        Map<String, Object> telemetry = new LinkedHashMap<>();
        telemetry.put("tasks", byState(counts));
        telemetry.put("modes", byMode(counts));
        telemetry.put("endings", endings(counts));
        Map<String, Object> supervisor = orchestrator.liveFigures();
        telemetry.put("pool", supervisor.get("pool"));
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("usableMb", orchestrator.memory().host().usableMb());
        host.put("availableMb", orchestrator.memory().host().availableMb());
        telemetry.put("host", host);
        telemetry.put("supervisor", supervisor);
        return telemetry;
    }

    private static Map<String, Object> byState(List<TaskStore.TaskCount> counts) {
        Map<String, Object> states = new LinkedHashMap<>();
        for (TaskState state : TaskState.values()) {
            states.put(state.label(), counts.stream().filter(count -> count.state() == state)
                    .mapToLong(TaskStore.TaskCount::count).sum());
        }
        return states;
    }

    /** Per mode: its tasks, those ended, and their average execution time (null before one ends). */
    private static Map<String, Object> byMode(List<TaskStore.TaskCount> counts) {
        Map<String, Object> modes = new LinkedHashMap<>();
        for (Mode mode : Mode.values()) {
            List<TaskStore.TaskCount> ofMode = counts.stream().filter(count -> count.mode() == mode).toList();
            long ended = ofMode.stream().filter(count -> count.state().terminal()).mapToLong(TaskStore.TaskCount::count).sum();
            long endedMs = ofMode.stream().filter(count -> count.state().terminal())
                    .mapToLong(TaskStore.TaskCount::executionMs).sum();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("tasks", ofMode.stream().mapToLong(TaskStore.TaskCount::count).sum());
            figures.put("ended", ended);
            figures.put("averageMs", ended == 0 ? null : endedMs / ended);
            modes.put(mode.label(), figures);
        }
        return modes;
    }

    /** How the ended tasks ended: completed, cancelled, or failed by reason; with the share of crashes and OOMs. */
    private static Map<String, Object> endings(List<TaskStore.TaskCount> counts) {
        Map<String, Long> byEnding = new LinkedHashMap<>();
        long ended = 0;
        for (TaskStore.TaskCount count : counts) {
            if (count.state().terminal()) {
                String ending = count.reason() == null ? count.state().label() : count.reason().label();
                byEnding.merge(ending, count.count(), Long::sum);
                ended += count.count();
            }
        }
        Map<String, Object> endings = new LinkedHashMap<>();
        endings.put("ended", ended);
        endings.put("byEnding", byEnding);
        endings.put("crashRate", share(byEnding.getOrDefault("crashed", 0L), ended));
        endings.put("outOfMemoryRate", share(byEnding.getOrDefault("out_of_memory", 0L), ended));
        return endings;
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }
}
