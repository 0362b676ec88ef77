package dev.mayfly.workflow;

import dev.mayfly.store.RunStepRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which steps are done, failed, skipped, running or waiting; owned by the runner's loop. */
final class RunState {
    final Workflow workflow;
    private final Set<String> completed = new LinkedHashSet<>();
    private final Set<String> failed = new LinkedHashSet<>();
    private final Set<String> skipped = new LinkedHashSet<>();
    private final Set<String> running = new LinkedHashSet<>();
    private final Map<String, String> results = new HashMap<>();
    private final Map<String, Integer> attempts = new HashMap<>();

    RunState(Workflow workflow, Map<String, RunStepRecord> previous) {
        this.workflow = workflow;
        previous.forEach((id, step) -> {
            attempts.put(id, step.attempt());
            if (step.state() == RunStepRecord.State.COMPLETED) {
                completed.add(id);
                results.put(id, step.resultJson() == null ? "null" : step.resultJson());
            }
        });
    }

    private boolean open(String id) {
        return !completed.contains(id) && !failed.contains(id) && !skipped.contains(id) && !running.contains(id);
    }

    /** Marks (and returns) the open steps that can no longer run because a step they need did not complete. */
    List<String> skipBlocked() {
        List<String> newlySkipped = new ArrayList<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Step step : workflow.steps()) {
                if (open(step.id()) && blockingNeed(step) != null) {
                    skipped.add(step.id());
                    newlySkipped.add(step.id());
                    changed = true;
                }
            }
        }
        return newlySkipped;
    }

    String blockingNeed(Step step) {
        return step.needs().stream().filter(need -> failed.contains(need) || skipped.contains(need)).findFirst()
                .orElse(null);
    }

    List<Step> ready() {
        return workflow.steps().stream().filter(step -> open(step.id()) && completed.containsAll(step.needs())).toList();
    }

    void started(String id) {
        running.add(id);
    }

    int nextAttempt(String id) {
        return attempts.merge(id, 1, Integer::sum);
    }

    void ended(String id, boolean ok, String resultJson) {
        running.remove(id);
        if (ok) {
            completed.add(id);
            results.put(id, resultJson == null ? "null" : resultJson);
        } else {
            failed.add(id);
        }
    }

    Map<String, String> resultsSnapshot() {
        return Map.copyOf(results);
    }

    int runningCount() {
        return running.size();
    }

    boolean allCompleted() {
        return completed.size() == workflow.steps().size();
    }

    /** Marks (and returns) the steps that never started, as the run is cancelled. */
    List<String> cancelOpen() {
        List<String> open = workflow.steps().stream().map(Step::id).filter(this::open).toList();
        failed.addAll(open);
        return open;
    }

    String firstFailed() {
        return workflow.steps().stream().map(Step::id).filter(failed::contains).findFirst().orElse(null);
    }
}
