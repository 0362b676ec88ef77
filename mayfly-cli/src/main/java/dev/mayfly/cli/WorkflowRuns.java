package dev.mayfly.cli;

import dev.mayfly.client.MayflyClient;
import dev.mayfly.client.RunView;
import dev.mayfly.client.TaskView;
import dev.mayfly.json.Json;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.store.RecordJson;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.RunStepRecord;
import dev.mayfly.store.TaskStore;
import dev.mayfly.workflow.RunOutcome;
import dev.mayfly.workflow.Step;
import dev.mayfly.workflow.Workflow;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** How workflow runs are checked before they start, and printed when they end. */
final class WorkflowRuns {

    private WorkflowRuns() {}

    /**
     * Ctrl-C or SIGTERM during a run: stop its tasks (they end interrupted), give the runner a
     * moment to record the run's end and write its summary, then close the store.
     */
    static void shutDown(Orchestrator orchestrator, CountDownLatch recorded) {
        orchestrator.stopTasks();
        ShutdownWait.forMainThread(recorded);
        orchestrator.close();
    }

    /**
     * A run as it ended, wherever it ran: in this process (its outcome and the store) or in a server
     * (its API). What is printed, and the exit status, come from this alone.
     *
     * @param finalStep the step whose result is the run's: the last one in the file that completed,
     *     else the one that failed
     * @param finalTask that step's task, or null when it had none
     */
    record Ended(String runId, String workflow, String state, String failedStep, List<RunView.Step> steps,
            RunView.Step finalStep, TaskView finalTask, String summary) {

        static Ended of(RunOutcome outcome, TaskStore store) {
            List<RunView.Step> steps = outcome.steps().stream().map(step -> new RunView.Step(step.stepId(),
                    step.state().label(), step.attempt(), step.taskId(), step.error(), Json.readOrText(step.resultJson())))
                    .toList();
            RunView.Step last = finalStep(steps, outcome.failedStep());
            TaskView task = last.taskId() == null ? null : store.findTask(last.taskId()).map(RecordJson::json)
                    .map(TaskView::of).orElse(null);
            return new Ended(outcome.runId(), outcome.workflow().name(), outcome.state().label(), outcome.failedStep(),
                    steps, last, task, outcome.summary().toString());
        }

        static Ended of(RunView run, MayflyClient client) {
            RunView.Step last = finalStep(run.steps(), run.failedStep());
            return new Ended(run.runId(), run.workflow(), run.status(), run.failedStep(), run.steps(), last,
                    last.taskId() == null ? null : client.task(last.taskId()),
                    Path.of(run.folder()).resolve("run-summary.md").toString());
        }

        private static RunView.Step finalStep(List<RunView.Step> steps, String failedStep) {
            if (failedStep != null) {
                return steps.stream().filter(step -> step.id().equals(failedStep)).findFirst().orElseThrow();
            }
            return steps.get(steps.size() - 1);
        }
    }

    static int exitCode(Ended run) {
        if (run.state().equals(RunRecord.State.COMPLETED.label())) {
            return ExitCodes.OK;
        }
        boolean interrupted = run.steps().stream()
                .anyMatch(step -> step.error() != null && step.error().startsWith("interrupted"));
        return interrupted ? ExitCodes.INTERRUPTED : ExitCodes.FAILED;
    }

    /**
     * Prints the outcome. With {@code json}, one object that keeps {@code mayfly run --json}'s fields
     * (taken from the final step's task) and adds runId, workflow, failedStep and steps.
     */
    static void print(PrintStream out, Ended run, boolean json) {
        TaskView task = run.finalTask();
        if (json) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("taskId", run.finalStep().taskId());
            object.put("status", run.state());
            object.put("reason", task == null ? null : task.reason());
            object.put("mode", task == null ? null : task.mode());
            object.put("exitCode", task == null ? null : task.exitCode());
            object.put("executionTimeMs", task == null ? null : task.executionTimeMs());
            object.put("memoryPeakMb", task == null ? null : task.memoryPeakMb());
            object.put("result", run.finalStep().result());
            object.put("error", run.finalStep().error());
            object.put("residentPeakMb", task == null ? null : task.residentPeakMb());
            object.put("memoryCapMb", task == null ? null : task.memoryCapMb());
            object.put("runId", run.runId());
            object.put("workflow", run.workflow());
            object.put("failedStep", run.failedStep());
            object.put("steps", run.steps().stream().map(step -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", step.id());
                entry.put("status", step.status());
                entry.put("attempt", step.attempt());
                entry.put("taskId", step.taskId());
                entry.put("error", step.error());
                return entry;
            }).toList());
            object.put("summary", run.summary());
            out.println(Json.write(object));
        } else {
            out.printf(Locale.ROOT, "Run %s %s (workflow %s, %d step(s))%n", run.runId(),
                    run.failedStep() != null && run.state().equals(RunRecord.State.FAILED.label())
                            ? "failed at step '" + run.failedStep() + "'" : run.state(),
                    run.workflow(), run.steps().size());
            for (RunView.Step step : run.steps()) {
                out.printf(Locale.ROOT, "  %-12s %-9s %s%s%n", step.id(), step.status(),
                        step.taskId() == null ? "" : step.taskId(), step.error() == null ? "" : "  " + step.error());
            }
            out.println("Summary: " + run.summary());
        }
        out.flush();
    }

    /** The run's steps as a tree of their needs, for {@code mayfly status RUN_ID}. */
    static String tree(RunRecord run, Workflow workflow, List<RunStepRecord> steps, String state) {
        Map<String, RunStepRecord> byId = new LinkedHashMap<>();
        steps.forEach(step -> byId.put(step.stepId(), step));
        StringBuilder text = new StringBuilder();
        text.append("Run ").append(run.id()).append(": ").append(state)
                .append(run.failedStep() == null ? "" : " at step '" + run.failedStep() + "'")
                .append(" (workflow ").append(run.workflow()).append(", ").append(steps.size()).append(" steps)\n");
        text.append("  prompt: ").append(TaskViews.promptShown(run.prompt())).append('\n');
        text.append("  folder: ").append(run.folder()).append(" (run-summary.md)\n\n");
        for (Step step : workflow.steps()) {
            if (step.needs().isEmpty()) {
                branch(text, step, workflow, byId, 0);
            }
        }
        return text.toString();
    }

    private static void branch(StringBuilder text, Step step, Workflow workflow, Map<String, RunStepRecord> byId, int depth) {
        RunStepRecord record = byId.get(step.id());
        String indent = depth == 0 ? "  " : "  " + "   ".repeat(depth - 1) + "└─ ";
        String others = step.needs().size() > 1 ? " (also needs " + String.join(", ", step.needs().subList(1,
                step.needs().size())) + ")" : "";
        text.append(String.format(Locale.ROOT, "%-30s %-9s %s%s%s%n", indent + step.id(),
                record == null ? "?" : record.state().label(),
                record == null || record.taskId() == null ? "" : record.taskId() + " (attempt " + record.attempt() + ")",
                record == null || record.error() == null ? "" : "  " + record.error(), others));
        for (Step child : workflow.steps()) {
            // Each step is drawn once, under the first step it needs.
            if (!child.needs().isEmpty() && child.needs().get(0).equals(step.id())) {
                branch(text, child, workflow, byId, depth + 1);
            }
        }
    }
}
