package dev.mayfly.workflow;

import dev.mayfly.config.Settings;
import dev.mayfly.errors.UsageException;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.TaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A workflow run about to be taken up again ({@code mayfly resume RUN_ID}, or a server's
 * {@code POST /api/v1/runs/{id}/resume}): checked the same way wherever it is asked, and the
 * workflow it continues with.
 *
 * @param workflow null when the run had completed: nothing to resume
 * @param how which workflow it continues with, for the log
 */
public record RunResumption(RunRecord run, Workflow workflow, String how) {

    /** Whether the run had completed, so that nothing runs again. */
    public boolean completed() {
        return workflow == null;
    }

    /**
     * Checks that the run can be taken up: it exists, was not cancelled, and no live supervisor runs
     * it. Its workflow is the one given; else its file as it is now, when it still exists (so a fix
     * applies); else the text the run kept.
     *
     * @param given a fixed workflow to continue with, or null
     * @param givenHow where {@code given} came from, for the log
     * @throws UsageException naming what is wrong
     */
    public static RunResumption check(TaskStore store, String runId, Settings settings, Workflow given, String givenHow,
            Clock clock) {
        RunRecord run = store.runs().findRun(runId).orElseThrow(() -> new UsageException("no run '" + runId + "' in "
                + settings.store() + "; 'mayfly status' lists recent tasks and workflow runs"));
        if (run.state() == RunRecord.State.COMPLETED) {
            return new RunResumption(run, null, "completed");
        }
        if (run.state() == RunRecord.State.CANCELLED) {
            throw new UsageException("run " + runId + " was cancelled, and a cancelled run is not resumed; start "
                    + "it again with 'mayfly run --workflow " + run.workflow() + " --prompt …'");
        }
        if (run.state() == RunRecord.State.RUNNING) {
            SupervisorLiveness.refuseIfRunning(store, "run " + run.id(), run.supervisorId(), clock);
        }
        RunResumption resumption = given != null ? new RunResumption(run, given, givenHow) : kept(run, settings);
        WorkflowRunner.checkDefaultAgent(resumption.workflow(), settings);
        return resumption;
    }

    private static RunResumption kept(RunRecord run, Settings settings) {
        WorkflowCatalog catalog = new WorkflowCatalog(settings);
        Path source = run.source().startsWith("builtin:") ? null : Path.of(run.source());
        if (source != null && Files.isRegularFile(source)) {
            return new RunResumption(run, catalog.loadFile(source), "Resuming with the workflow as it is now in " + source);
        }
        return new RunResumption(run, catalog.loadText(run.source(), run.definition()),
                "Resuming with the workflow as the run kept it (" + run.source() + ")");
    }
}
