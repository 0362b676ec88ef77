package dev.mayfly.cli;

import dev.mayfly.batch.DurableBatch;
import dev.mayfly.client.MayflyClient;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.errors.UsageException;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.store.BatchRecord;
import dev.mayfly.store.Stores;
import dev.mayfly.store.TaskStore;
import dev.mayfly.workflow.RunOutcome;
import dev.mayfly.workflow.RunResumption;
import dev.mayfly.workflow.WorkflowCatalog;
import dev.mayfly.workflow.WorkflowRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code mayfly resume ID}: runs again what did not complete of a workflow run (its steps) or a batch (its lines). */
final class ResumeCommand implements Subcommand {

    String runId;
    Path workflowFile;
    Boolean workers;
    boolean json;
    final CommonOptions common = new CommonOptions();
    final ServerOptions server = new ServerOptions();

    @Override
    public CommandSpec spec() {
        return server.addTo(common.addTo(new CommandSpec("mayfly resume", this,
                "Runs again only the steps of a workflow run that did not complete (after a crash, a kill or a fix), "
                        + "reusing the results of those that did. The workflow is read again from its file when the file "
                        + "still exists (so a fix to it applies), else taken as the run kept it.",
                "With a batch's id (batch-…), runs again the lines whose last task did not complete, each as its line "
                        + "asked when the batch began.")
                .parameters("ID", "The run (run-…) or batch (batch-…), as 'mayfly run', 'mayfly batch' or 'mayfly "
                        + "status' named it.", 1, 1, value -> runId = value)
                .value("--workflow", "FILE", "Continue with this (fixed) workflow file; it must keep the run's steps.",
                        value -> workflowFile = Path.of(value))
                .negatable("--workers", "Workers on or off for the steps that run again.", value -> workers = value)
                .flag("Print the outcome as one JSON object.", () -> json = true, "--json")));
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = common.settings(SettingsReader.Flags.none().workers(workers));
        if (!Stores.exists(settings.store())) {
            throw new UsageException("no run '" + runId + "': there is no store at " + settings.store());
        }
        boolean batch = runId.startsWith("batch-");
        // What is taken up is checked before a supervisor starts: an id that is wrong, or a workflow that
        // no longer loads, leaves no supervisor row and no log lines behind.
        RunResumption resumption = null;
        try (TaskStore store = Stores.open(settings, common.clock())) {
            if (batch) {
                BatchRecord record = DurableBatch.checkResumable(store, runId, settings.store(), common.clock());
                if (record.state() == BatchRecord.State.COMPLETED) {
                    System.out.println("Batch " + runId + " already completed; nothing to resume.");
                    return ExitCodes.OK;
                }
            } else {
                resumption = RunResumption.check(store, runId, settings, workflowFile == null ? null
                        : new WorkflowCatalog(settings).loadFile(workflowFile), "Resuming with the workflow in "
                        + workflowFile, common.clock());
                if (resumption.completed()) {
                    System.out.println("Run " + runId + " already completed; nothing to resume. Summary: "
                            + Path.of(resumption.run().folder()).resolve("run-summary.md"));
                    return ExitCodes.OK;
                }
            }
        }
        Optional<MayflyClient> client = server.client(settings, System.getenv());
        if (client.isPresent()) {
            RemoteRun remote = new RemoteRun(client.get(), System.out, System.err);
            return batch ? remote.resumeBatch(runId, json) : remote.resumeRun(runId, resumeFields(resumption), json);
        }
        return batch ? new BatchSession(settings, common, json, runId, List.of())
                .run(orchestrator -> DurableBatch.resume(orchestrator, runId, common.clock()))
                : resumeRun(settings, resumption);
    }

    /** What a server is to resume the run with: the fixed workflow's text, and workers on or off. */
    private Map<String, Object> resumeFields(RunResumption resumption) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (workflowFile != null) {
            try {
                fields.put("yaml", Files.readString(workflowFile));
            } catch (IOException e) {
                throw UsageException.invalid("--workflow", workflowFile.toString(), "a workflow file you may read");
            }
        }
        if (workers != null) {
            fields.put("workers", workers);
        }
        return fields;
    }

    private int resumeRun(Settings settings, RunResumption resumption) throws InterruptedException {
        OrchestratorLog log = common.log(settings, System.err);
        Orchestrator orchestrator = Orchestrator.start(settings, log, common.clock());
        CountDownLatch recorded = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> WorkflowRuns.shutDown(orchestrator, recorded), "mayfly-cleanup"));
        WorkflowRuns.Ended ended;
        try {
            log.info(OrchestratorLog.ENTRY, resumption.how());
            RunOutcome outcome = new WorkflowRunner(orchestrator, orchestrator.store().runs(), log, common.clock())
                    .resume(resumption.run(), resumption.workflow(), workers);
            ended = WorkflowRuns.Ended.of(outcome, orchestrator.store());
            WorkflowRuns.print(System.out, ended, json);
        } finally {
            recorded.countDown();
            orchestrator.close();
        }
        return WorkflowRuns.exitCode(ended);
    }
}
