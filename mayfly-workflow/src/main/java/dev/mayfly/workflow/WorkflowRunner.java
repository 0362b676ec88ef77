package dev.mayfly.workflow;

import dev.mayfly.config.AgentChooser;
import dev.mayfly.config.Settings;
import dev.mayfly.errors.UsageException;
import dev.mayfly.json.Json;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.routing.Complexity;
import dev.mayfly.store.RowIds;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.RunStepRecord;
import dev.mayfly.store.RunStore;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a workflow's steps: in dependency order, independent steps at the same time (at most
 * {@code MAYFLY_MAX_WORKERS}), each step classified and routed like a single task. A step that
 * fails skips the steps that need it, directly or not, and only those; the run then ends failed,
 * naming the first step that failed. A run a user cancels ({@code mayfly cancel RUN_ID}) starts no
 * further step, its running steps' tasks are cancelled, and it ends cancelled with its unstarted
 * steps. Every step's result is kept in the store and in its folder
 * ({@code runs/<runId>/<stepId>/}), and {@code run-summary.md} tells the run to a person.
 */
public final class WorkflowRunner {

    /** The run's folder for agents, kept with its params so that a resumed run works where it began. */
    static final String WORKDIR_PARAM = "mayfly.workdir";

    private final Orchestrator orchestrator;
    private final RunStore runs;
    private final OrchestratorLog log;
    private final Clock clock;
    private final Settings settings;
    private final StepLauncher steps;

    /** A runner whose steps run in this process's supervisor. */
    public WorkflowRunner(Orchestrator orchestrator, RunStore runs, OrchestratorLog log, Clock clock) {
        this(orchestrator, runs, log, clock, StepLauncher.local(orchestrator));
    }

    /** @param steps where the steps run: here, or through a server's queue (any node sharing the store) */
    public WorkflowRunner(Orchestrator orchestrator, RunStore runs, OrchestratorLog log, Clock clock, StepLauncher steps) {
        this.orchestrator = orchestrator;
        this.runs = runs;
        this.log = log;
        this.clock = clock;
        this.settings = orchestrator.settings();
        this.steps = steps;
    }

    /**
     * Refuses a workflow whose steps use the default agent when none is set, before anything is stored.
     */
    public static void checkDefaultAgent(Workflow workflow, Settings settings) {
        List<String> needDefault = workflow.steps().stream().filter(step -> step.agent() == null).map(Step::id).toList();
        if (!needDefault.isEmpty() && settings.defaultAgent().isEmpty()) {
            throw new UsageException("workflow " + workflow.name() + ": step(s) " + String.join(", ", needDefault)
                    + " use your default agent, and MAYFLY_AGENT is not set (for example MAYFLY_AGENT='command:claude -p')");
        }
    }

    /** Starts a new run and waits for its end. */
    public RunOutcome start(Workflow workflow, RunRequest request) throws InterruptedException {
        return run(workflow, begin(workflow, request), request.workers());
    }

    /** Stores a new run, running, its steps waiting: its id is known before it runs ({@link #run}). */
    public RunRecord begin(Workflow workflow, RunRequest request) {
        return begin(workflow, request, false);
    }

    /**
     * Stores a new run, as {@link #begin(Workflow, RunRequest)}.
     *
     * @param serverOwned whether a server starts it: the next server takes it up if this one is killed
     */
    public RunRecord begin(Workflow workflow, RunRequest request, boolean serverOwned) {
        String runId = RowIds.next("run", clock);
        double complexity = request.complexity() != null ? request.complexity()
                : workflow.complexity() != null ? workflow.complexity() : Complexity.MISSING;
        Path folder = settings.runsDir().resolve(runId);
        Map<String, String> params = new java.util.LinkedHashMap<>(request.params());
        params.put(WORKDIR_PARAM, request.workDir().toString());
        RunRecord run = new RunRecord(runId, orchestrator.supervisorId(), workflow.name(), workflow.source(), workflow.text(),
                request.prompt(), Json.write(params), complexity, RunRecord.State.RUNNING, null,
                folder.toString(), clock.instant(), null);
        runs.createRun(run, workflow.steps().stream().map(Step::id).toList(), serverOwned);
        log.info(OrchestratorLog.ENTRY, "Run " + runId + ": workflow " + workflow.name() + ", " + workflow.steps().size()
                + " step(s), complexity " + complexity, "runId", runId);
        return run;
    }

    /**
     * Runs the steps of a run {@link #begin} stored, and waits for its end.
     *
     * @param workers workers on or off for every step, or null to follow USE_WORKERS
     */
    public RunOutcome run(Workflow workflow, RunRecord run, Boolean workers) throws InterruptedException {
        return execute(workflow, run, workers, Map.of());
    }

    /**
     * Runs again the steps of a run that did not complete, reusing the results of those that did.
     *
     * @param workflow the workflow as the run should continue with (its kept definition, or a fixed file)
     */
    public RunOutcome resume(RunRecord run, Workflow workflow, Boolean workers) throws InterruptedException {
        return continueRun(beginResume(run, workflow), workflow, workers);
    }

    /**
     * The first half of {@link #resume}: checks that the workflow keeps the run's steps, and records
     * the run running again under this supervisor (its completed steps kept, the others waiting), so
     * that a caller can say so before the steps run ({@link #continueRun}).
     */
    public RunRecord beginResume(RunRecord run, Workflow workflow) {
        Set<String> stepIds = new HashSet<>();
        runs.steps(run.id()).forEach(step -> stepIds.add(step.stepId()));
        for (Step step : workflow.steps()) {
            if (!stepIds.contains(step.id())) {
                throw new UsageException("run " + run.id() + " has no step '" + step.id() + "'; a resumed workflow must keep "
                        + "the run's steps");
            }
        }
        runs.restartRun(run.id(), orchestrator.supervisorId(), clock.instant());
        return runs.findRun(run.id()).orElseThrow();
    }

    /** The second half of {@link #resume}: runs the steps that did not complete, keeping the results of those that did. */
    public RunOutcome continueRun(RunRecord run, Workflow workflow, Boolean workers) throws InterruptedException {
        Map<String, RunStepRecord> previous = new HashMap<>();
        runs.steps(run.id()).forEach(step -> previous.put(step.stepId(), step));
        long completed = previous.values().stream().filter(step -> step.state() == RunStepRecord.State.COMPLETED).count();
        log.info(OrchestratorLog.ENTRY, "Resuming run " + run.id() + ": " + completed + " of " + previous.size()
                + " step(s) completed before and kept", "runId", run.id());
        return execute(workflow, run, workers, previous);
    }

    private RunOutcome execute(Workflow workflow, RunRecord run, Boolean workers, Map<String, RunStepRecord> previous)
            throws InterruptedException {
        RunState state = new RunState(workflow, previous);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(workflow.steps().size(),
                steps.parallelSteps(settings.maxWorkers()))), new StepThreads(run.id()));
        CompletionService<StepEnd> ends = new ExecutorCompletionService<>(pool);
        Map<String, String> params = paramsOf(run);
        boolean cancelled = false;
        try {
            awaitUnderWay(run, state, ends, previous);
            while (true) {
                // Asked once per step that ends: a run another node took over (this one was taken for
                // gone) is left to it; a cancelled run starts nothing more and waits for its running
                // steps, whose tasks their supervisors are cancelling.
                Optional<String> takenBy = takenOverBy(run);
                if (takenBy.isPresent()) {
                    log.warn(OrchestratorLog.ENTRY, "Run " + run.id() + " was taken over by " + takenBy.get()
                            + ", which found this supervisor gone; this one stops driving it", "runId", run.id());
                    return new RunOutcome(run.id(), workflow, RunRecord.State.RUNNING, null, runs.steps(run.id()),
                            Path.of(run.folder()), null);
                }
                cancelled = cancelled || runs.cancelRequested(run.id());
                if (!cancelled) {
                    startReady(run, state, ends, params, workers);
                }
                if (state.runningCount() == 0) {
                    break;
                }
                StepEnd end;
                try {
                    end = ends.take().get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a step's thread failed: " + e.getCause(), e.getCause());
                }
                state.ended(end.stepId(), end.state() == RunStepRecord.State.COMPLETED, end.resultJson());
            }
        } finally {
            pool.shutdownNow();
        }
        String failedStep = cancelled ? null : state.firstFailed();
        RunRecord.State outcome = cancelled ? RunRecord.State.CANCELLED
                : state.allCompleted() ? RunRecord.State.COMPLETED : RunRecord.State.FAILED;
        if (cancelled) {
            for (String unstarted : state.cancelOpen()) {
                runs.stepEnded(run.id(), unstarted, RunStepRecord.State.CANCELLED, null, "not run: the run was cancelled",
                        clock.instant());
            }
        }
        runs.runEnded(run.id(), outcome, failedStep, clock.instant());
        List<RunStepRecord> steps = runs.steps(run.id());
        Path summary = RunSummary.write(runs.findRun(run.id()).orElseThrow(), workflow, steps);
        log.info(OrchestratorLog.ENTRY, "Run " + run.id() + " " + outcome.label()
                + (failedStep == null ? "" : " at step '" + failedStep + "'") + "; summary: " + summary, "runId", run.id());
        return new RunOutcome(run.id(), workflow, outcome, failedStep, steps, Path.of(run.folder()), summary);
    }

    /** The supervisor that drives the run now, when it is no longer this one. */
    private Optional<String> takenOverBy(RunRecord run) {
        return runs.findRun(run.id()).map(RunRecord::supervisorId).filter(owner -> !owner.equals(orchestrator.supervisorId()));
    }

    /**
     * A run taken over from a node that was lost may have steps still under way: their tasks queued
     * or running on other nodes. They are waited for, not run again.
     */
    private void awaitUnderWay(RunRecord run, RunState state, CompletionService<StepEnd> ends,
            Map<String, RunStepRecord> previous) {
        for (RunStepRecord step : previous.values()) {
            if (step.state() == RunStepRecord.State.RUNNING && step.taskId() != null) {
                state.started(step.stepId());
                Step defined = state.workflow.step(step.stepId());
                log.info(OrchestratorLog.ENTRY, "Step " + step.stepId() + ": its task " + step.taskId() + " is still under "
                        + "way; waiting for it", "runId", run.id());
                ends.submit(() -> awaitStep(run, defined, stepFolder(run, step.stepId(), step.attempt()),
                        () -> steps.await(step.taskId()).get()));
            }
        }
    }

    /** Skips the steps that can no longer run, and starts those whose needs have completed. */
    private void startReady(RunRecord run, RunState state, CompletionService<StepEnd> ends, Map<String, String> params,
            Boolean workers) {
        Workflow workflow = state.workflow;
        for (String skipped : state.skipBlocked()) {
            String because = state.blockingNeed(workflow.step(skipped));
            runs.stepEnded(run.id(), skipped, RunStepRecord.State.SKIPPED, null, "needs '" + because
                    + "', which did not complete", clock.instant());
            log.info(OrchestratorLog.ENTRY, "Step " + skipped + ": skipped (needs " + because + ")", "runId", run.id());
        }
        for (Step step : state.ready()) {
            state.started(step.id());
            Map<String, String> results = state.resultsSnapshot();
            int attempt = state.nextAttempt(step.id());
            ends.submit(() -> runStep(run, step, attempt, params, results, workers));
        }
    }

    /** How one step ended, as its thread reports it to the loop. */
    private record StepEnd(String stepId, RunStepRecord.State state, String resultJson) {}

    private static Path stepFolder(RunRecord run, String stepId, int attempt) {
        return Path.of(run.folder()).resolve(attempt == 1 ? stepId : stepId + "." + attempt);
    }

    /** How a step's task is had: started now, or waited for. */
    @FunctionalInterface
    private interface StepTask {
        TaskResult ended() throws IOException, ExecutionException, InterruptedException;
    }

    private StepEnd runStep(RunRecord run, Step step, int attempt, Map<String, String> params, Map<String, String> results,
            Boolean runWorkers) {
        runs.stepStarted(run.id(), step.id(), clock.instant());
        Path folder = stepFolder(run, step.id(), attempt);
        return awaitStep(run, step, folder, () -> {
            String prompt = step.prompt().render(run.prompt(), params, results);
            Map<String, String> stepParams = new HashMap<>();
            step.params().forEach((name, template) -> stepParams.put(name, template.render(run.prompt(), params, results)));
            AgentChooser.Choice agent = AgentChooser.choose("step '" + step.id() + "' agent", step.agent(), List.of(), prompt,
                    settings, "step '" + step.id() + "' resume", step.resume());
            TaskRequest request = TaskRequest.builder(prompt, agent.spec()).params(stepParams)
                    .complexity(run.complexity()).workDir(runWorkDir(run))
                    .limits(TaskLimits.of(settings, step.limits())).build();
            log.info(OrchestratorLog.ENTRY, "Step " + step.id() + ": starting (attempt " + attempt + ")", "runId", run.id());
            return steps.launch(request, step.workers() != null ? step.workers() : runWorkers, folder,
                    taskId -> runs.stepTask(run.id(), step.id(), taskId)).get();
        });
    }

    /**
     * Waits for the step's task and records how the step ended: its result in its folder and in the
     * store. Not when another node has taken the run over meanwhile: the step is that node's to record.
     */
    private StepEnd awaitStep(RunRecord run, Step step, Path folder, StepTask task) {
        try {
            TaskResult result = task.ended();
            boolean completed = result.outcome().succeeded();
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("result.json"), result.outcome().resultJson() == null ? "null\n"
                    : Json.writePretty(Json.readOrText(result.outcome().resultJson())) + "\n", StandardCharsets.UTF_8);
            RunStepRecord.State state = completed ? RunStepRecord.State.COMPLETED
                    : result.outcome().state() == TaskState.CANCELLED ? RunStepRecord.State.CANCELLED
                    : RunStepRecord.State.FAILED;
            String error = completed ? null : result.outcome().label() + ": " + result.outcome().error();
            recordStepEnd(run, step.id(), state, result.outcome().resultJson(), error);
            log.info(OrchestratorLog.ENTRY, "Step " + step.id() + ": " + state.label() + (error == null ? "" : " (" + error + ")"),
                    "runId", run.id());
            return new StepEnd(step.id(), state, result.outcome().resultJson());
        } catch (IOException | ExecutionException | RuntimeException e) {
            String error = e instanceof ExecutionException ? String.valueOf(e.getCause()) : e.getMessage();
            recordStepEnd(run, step.id(), RunStepRecord.State.FAILED, null, "not run: " + error);
            log.warn(OrchestratorLog.ENTRY, "Step " + step.id() + ": failed before it ran: " + error, "runId", run.id());
            return new StepEnd(step.id(), RunStepRecord.State.FAILED, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            recordStepEnd(run, step.id(), RunStepRecord.State.FAILED, null, "interrupted");
            return new StepEnd(step.id(), RunStepRecord.State.FAILED, null);
        }
    }

    private void recordStepEnd(RunRecord run, String stepId, RunStepRecord.State state, String resultJson, String error) {
        if (takenOverBy(run).isEmpty()) {
            runs.stepEnded(run.id(), stepId, state, resultJson, error, clock.instant());
        }
    }

    private Path runWorkDir(RunRecord run) {
        return Path.of(paramsOf(run).getOrDefault(WORKDIR_PARAM, Path.of("").toAbsolutePath().toString()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> paramsOf(RunRecord run) {
        try {
            return (Map<String, String>) (Map<?, ?>) Json.readObject(run.paramsJson());
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** Names the runner's threads after the run. */
    private static final class StepThreads implements java.util.concurrent.ThreadFactory {
        private final String runId;
        private final AtomicInteger count = new AtomicInteger();

        StepThreads(String runId) {
            this.runId = runId;
        }

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "mayfly-" + runId + "-step-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
