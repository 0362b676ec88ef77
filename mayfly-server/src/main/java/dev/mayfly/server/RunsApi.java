package dev.mayfly.server;

import dev.mayfly.batch.JsonFields;
import dev.mayfly.errors.UsageException;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.Listings;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.routing.Complexity;
import dev.mayfly.store.RecordJson;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.RunStore;
import dev.mayfly.workflow.RunRequest;
import dev.mayfly.workflow.RunResumption;
import dev.mayfly.workflow.Workflow;
import dev.mayfly.workflow.WorkflowCatalog;
import dev.mayfly.workflow.WorkflowRunner;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * {@code /api/v1/runs}: start a workflow run (a workflow by name, or its YAML in the body), see one
 * with its steps, cancel one. A run is stored, its steps waiting, before the answer. This server
 * drives it; each step goes into the queue in the store like a submitted task, so that any node
 * sharing the store may run it. A run whose node is gone is taken over by another.
 */
final class RunsApi extends ResumableResource {

    static final String PREFIX = "/api/v1/runs";
    private static final Kind RUN = new Kind("run", "runId", "status");
    static final List<String> FIELDS = List.of("workflow", "yaml", "prompt", "params", "complexity", "workers",
            TasksApi.WORK_DIR);

    private final Orchestrator orchestrator;
    private final WorkflowRunner runner;
    private final Executor starter;
    private final OrchestratorLog log;
    private final Clock clock;
    /** Runs left by a gone server that could not be taken up: said once, not tried on every beat. */
    private final Set<String> notTakenUp = ConcurrentHashMap.newKeySet();

    RunsApi(Orchestrator orchestrator, ServerQueue queue, Executor starter, OrchestratorLog log, Clock clock) {
        super(PREFIX, "runs", clock);
        this.orchestrator = orchestrator;
        this.runner = new WorkflowRunner(orchestrator, orchestrator.store().runs(), log, clock, queue);
        this.starter = starter;
        this.log = log;
        this.clock = clock;
    }

    @Override
    Map<String, Object> detail(String id) {
        return detail(find(id));
    }

    @Override
    List<Map<String, Object>> recent(int limit, Instant since) {
        return Listings.recentRuns(orchestrator.store(), limit, since, clock.instant());
    }

    private RunStore runs() {
        return orchestrator.store().runs();
    }

    /** A run with its steps, and the workflow's graph: each step's needs, for the dashboard to draw. */
    private Map<String, Object> detail(RunRecord run) {
        Map<String, Object> json = Listings.run(orchestrator.store(), run, clock.instant());
        Workflow workflow = new WorkflowCatalog(orchestrator.settings()).loadText(run.source(), run.definition());
        json.put("graph", workflow.steps().stream().map(step -> (Object) Map.of("id", step.id(), "needs", step.needs()))
                .toList());
        return json;
    }

    private RunRecord find(String runId) {
        return runs().findRun(runId).orElseThrow(() -> new HttpCall.Refusal(404, "no run '" + runId + "'"));
    }

    @Override
    void start(HttpCall call) throws IOException {
        Map<String, Object> fields = call.jsonBody();
        JsonFields.onlyKnown(fields, FIELDS);
        String prompt = JsonFields.string(fields, "prompt");
        if (prompt == null || prompt.isBlank()) {
            throw new UsageException("'prompt' is missing; a run needs one");
        }
        Workflow workflow = workflow(JsonFields.string(fields, "workflow"), JsonFields.string(fields, "yaml"));
        WorkflowRunner.checkDefaultAgent(workflow, orchestrator.settings());
        Object complexity = fields.get("complexity");
        Boolean workers = JsonFields.flag(fields, "workers");
        RunRequest request = new RunRequest(prompt, JsonFields.params(fields.get("params")),
                complexity == null ? null : Complexity.parse("complexity", String.valueOf(complexity)), workers,
                TasksApi.workDir(fields.get(TasksApi.WORK_DIR)));
        orchestrator.checkDiskFree("the run");
        RunRecord run = runner.begin(workflow, request, true);
        runInBackground(run, () -> runner.run(workflow, run, workers));
        call.responseHeader("Location", PREFIX + "/" + run.id());
        call.json(201, RecordJson.json(run, runs().steps(run.id())));
    }

    /**
     * Takes up a run that did not complete, as {@code mayfly resume RUN_ID} does: its steps that did not
     * complete run again in this server, with the workflow as it is now (or the {@code yaml} given).
     * 202 with the run; 409 when it had completed; 400 when it cannot be (cancelled, run elsewhere).
     */
    @Override
    void resume(HttpCall call, String runId) throws IOException {
        Map<String, Object> fields = call.jsonBodyOrEmpty();
        JsonFields.onlyKnown(fields, List.of("yaml", "workers"));
        find(runId);
        String yaml = JsonFields.string(fields, "yaml");
        WorkflowCatalog catalog = new WorkflowCatalog(orchestrator.settings());
        RunResumption resumption = RunResumption.check(orchestrator.store(), runId, orchestrator.settings(),
                yaml == null ? null : catalog.loadText("the request's yaml", yaml), "Resuming with the request's yaml",
                clock);
        if (resumption.completed()) {
            call.error(409, "run " + runId + " had already completed; nothing to resume");
            return;
        }
        Boolean workers = JsonFields.flag(fields, "workers");
        log.info(OrchestratorLog.ENTRY, resumption.how() + " (run " + runId + ", over HTTP)", "runId", runId);
        RunRecord run = runner.beginResume(resumption.run(), resumption.workflow());
        runInBackground(run, () -> runner.continueRun(run, resumption.workflow(), workers));
        call.json(202, detail(run));
    }

    /**
     * Takes up the runs a server that is gone started and left running: an earlier server of the home
     * (it was killed), or another node of a shared store. Each is taken by one node (a guarded update);
     * its steps still under way elsewhere are waited for, and those that did not complete run again,
     * as {@code mayfly resume} would run them. At the start, and on every beat.
     */
    void takeUpLeftovers() {
        String host = SupervisorLiveness.thisHost();
        Instant now = clock.instant();
        for (String runId : runs().serverRunsLeft(supervisor -> supervisor.id().equals(orchestrator.supervisorId())
                || SupervisorLiveness.isAlive(supervisor, host, now))) {
            if (notTakenUp.contains(runId)) {
                continue;
            }
            try {
                RunResumption resumption = RunResumption.check(orchestrator.store(), runId, orchestrator.settings(), null,
                        null, clock);
                String from = resumption.run().supervisorId();
                if (!runs().takeOverRun(runId, from, orchestrator.supervisorId(), now)) {
                    continue;
                }
                RunRecord run = runner.beginResume(resumption.run(), resumption.workflow());
                log.info(OrchestratorLog.ENTRY, "Took up run " + runId + ", which " + from + " left: "
                        + resumption.how(), "runId", runId);
                runInBackground(run, () -> runner.continueRun(run, resumption.workflow(), null));
            } catch (RuntimeException e) {
                // Said once: it is looked at on every beat.
                notTakenUp.add(runId);
                log.warn(OrchestratorLog.ENTRY, "Run " + runId + ", which a server that is gone left, cannot be taken "
                        + "up: " + e.getMessage() + "; 'mayfly resume " + runId + "' says more", "runId", runId);
            }
        }
    }

    /** What runs a run's steps, in a thread of the server's. */
    @FunctionalInterface
    private interface Steps {
        void run() throws InterruptedException;
    }

    private void runInBackground(RunRecord run, Steps steps) {
        starter.execute(() -> {
            try {
                steps.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn(OrchestratorLog.ENTRY, "Run " + run.id() + " failed in Mayfly itself: " + e, "runId", run.id());
            }
        });
    }

    /** The workflow by its name (built in or the project's), or given whole as YAML; one of the two. */
    private Workflow workflow(String name, String yaml) {
        if ((name == null) == (yaml == null)) {
            throw new UsageException("give 'workflow' (a workflow's name) or 'yaml' (a workflow's text), one of them");
        }
        WorkflowCatalog catalog = new WorkflowCatalog(orchestrator.settings());
        return name != null ? catalog.find("workflow", name) : catalog.loadText("the request's yaml", yaml);
    }

    /** Cancels the whole run as {@code mayfly cancel RUN_ID} does: 202, or 409 when it had ended. */
    @Override
    void cancel(HttpCall call, String runId) throws IOException {
        Optional<RunRecord> run = runs().requestCancel(runId, clock.instant());
        answerCancel(call, RUN, runId, run.map(found -> new CancelAsked(found.state().label(), found.state() != RunRecord.State.RUNNING,
                found.supervisorId())), orchestrator.store());
    }
}
