package dev.mayfly.cli;

import dev.mayfly.batch.DurableBatch;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.errors.UsageException;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.store.BatchRecord;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.Stores;
import dev.mayfly.store.TaskStore;
import dev.mayfly.workflow.RunOutcome;
import dev.mayfly.workflow.Workflow;
import dev.mayfly.workflow.WorkflowCatalog;
import dev.mayfly.workflow.WorkflowRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mayfly resume ID}: runs again what did not complete of a workflow run (its steps) or a batch (its lines). */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs again only the steps of a workflow run that did not complete (after a crash, a kill or a "
                + "fix), reusing the results of those that did. The workflow is read again from its file when the file "
                + "still exists (so a fix to it applies), else taken as the run kept it.",
                "With a batch's id (batch-…), runs again the lines whose last task did not complete, each as its line "
                        + "asked when the batch began."})
final class ResumeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The run (run-…) or batch (batch-…), as 'mayfly run', "
            + "'mayfly batch' or 'mayfly status' named it.")
    String runId;

    @Option(names = "--workflow", paramLabel = "FILE", description = "Continue with this (fixed) workflow file; it must keep the run's steps.")
    Path workflowFile;

    @Option(names = "--workers", negatable = true, description = "Workers on or off for the steps that run again.")
    Boolean workers;

    @Option(names = "--json", description = "Print the outcome as one JSON object.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = common.settings(SettingsReader.Flags.none().workers(workers));
        if (!Stores.exists(settings.store())) {
            throw new UsageException("no run '" + runId + "': there is no store at " + settings.store());
        }
        if (runId.startsWith("batch-")) {
            return resumeBatch(settings);
        }
        // The run and its workflow are checked before a supervisor starts: a run id that is wrong, or a
        // workflow that no longer loads, leaves no supervisor row and no log lines behind.
        RunRecord run;
        ChosenWorkflow chosen;
        try (TaskStore store = Stores.open(settings.store(), common.clock())) {
            run = store.runs().findRun(runId).orElseThrow(() -> new UsageException("no run '" + runId + "' in "
                    + settings.store() + "; 'mayfly status' lists recent tasks and workflow runs"));
            if (run.state() == RunRecord.State.COMPLETED) {
                System.out.println("Run " + runId + " already completed; nothing to resume. Summary: "
                        + Path.of(run.folder()).resolve("run-summary.md"));
                return ExitCodes.OK;
            }
            if (run.state() == RunRecord.State.CANCELLED) {
                throw new UsageException("run " + runId + " was cancelled, and a cancelled run is not resumed; start "
                        + "it again with 'mayfly run --workflow " + run.workflow() + " --prompt …'");
            }
            if (run.state() == RunRecord.State.RUNNING) {
                refuseIfStillRunning(store, "run " + run.id(), run.supervisorId());
            }
            chosen = workflowFor(run, settings);
            WorkflowRunner.checkDefaultAgent(chosen.workflow(), settings);
        }
        OrchestratorLog log = common.log(settings, System.err);
        Orchestrator orchestrator = Orchestrator.start(settings, log, common.clock());
        CountDownLatch recorded = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> WorkflowRuns.shutDown(orchestrator, recorded), "mayfly-cleanup"));
        WorkflowRuns.Ended ended;
        try {
            log.info(OrchestratorLog.ENTRY, chosen.how());
            RunOutcome outcome = new WorkflowRunner(orchestrator, orchestrator.store().runs(), log, common.clock())
                    .resume(run, chosen.workflow(), workers);
            ended = WorkflowRuns.Ended.of(outcome, orchestrator.store());
            WorkflowRuns.print(System.out, ended, json);
        } finally {
            recorded.countDown();
            orchestrator.close();
        }
        return WorkflowRuns.exitCode(ended);
    }

    /** The workflow the run continues with, and which one it is, for the log. */
    private record ChosenWorkflow(Workflow workflow, String how) {}

    /** A batch: its lines whose last task did not complete run again, each as its line asked. */
    private int resumeBatch(Settings settings) throws InterruptedException {
        try (TaskStore store = Stores.open(settings.store(), common.clock())) {
            BatchRecord batch = store.batches().findBatch(runId).orElseThrow(() -> new UsageException("no batch '"
                    + runId + "' in " + settings.store() + "; 'mayfly status' lists recent batches"));
            if (batch.state() == BatchRecord.State.COMPLETED) {
                System.out.println("Batch " + runId + " already completed; nothing to resume.");
                return ExitCodes.OK;
            }
            if (batch.state() == BatchRecord.State.CANCELLED) {
                throw new UsageException("batch " + runId + " was cancelled, and a cancelled batch is not resumed; "
                        + "start it again with 'mayfly batch " + batch.file() + "'");
            }
            if (batch.state() == BatchRecord.State.RUNNING) {
                refuseIfStillRunning(store, "batch " + runId, batch.supervisorId());
            }
        }
        return new BatchSession(settings, common, json, runId, List.of())
                .run(orchestrator -> DurableBatch.resume(orchestrator, runId, common.clock()));
    }

    /** What a live supervisor is running now: resuming it too would run its tasks twice. */
    private void refuseIfStillRunning(TaskStore store, String what, String supervisorId) {
        store.findSupervisor(supervisorId).ifPresent(supervisor -> {
            if (SupervisorLiveness.isAlive(supervisor, common.clock())) {
                throw new UsageException(what + " is still being run by " + supervisor.id() + " (pid "
                        + supervisor.pid() + "); resume it once that process has ended");
            }
        });
    }

    private ChosenWorkflow workflowFor(RunRecord run, Settings settings) {
        WorkflowCatalog catalog = new WorkflowCatalog(settings);
        if (workflowFile != null) {
            return new ChosenWorkflow(catalog.loadFile(workflowFile), "Resuming with the workflow in " + workflowFile);
        }
        Path source = run.source().startsWith("builtin:") ? null : Path.of(run.source());
        if (source != null && Files.isRegularFile(source)) {
            return new ChosenWorkflow(catalog.loadFile(source), "Resuming with the workflow as it is now in " + source);
        }
        return new ChosenWorkflow(catalog.loadText(run.source(), run.definition()),
                "Resuming with the workflow as the run kept it (" + run.source() + ")");
    }
}
