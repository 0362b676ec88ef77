package dev.mayfly.workflow;

import dev.mayfly.store.RunRecord;
import dev.mayfly.store.RunStepRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * How a run ended.
 *
 * @param failedStep the first step that failed, or null
 * @param summary the run's run-summary.md
 */
public record RunOutcome(String runId, Workflow workflow, RunRecord.State state, String failedStep,
        List<RunStepRecord> steps, Path folder, Path summary) {}
