package dev.mayfly.cli;

import dev.mayfly.json.Json;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.store.RecordJson;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.RunStepRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.workflow.RunOutcome;
import dev.mayfly.workflow.Step;
import dev.mayfly.workflow.Workflow;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** How workflow runs are checked before they start, and printed when they end. */
final class WorkflowRuns {

    private WorkflowRuns() {}

    /** Steps without an agent of their own use MAYFLY_AGENT: without it the run cannot start. */
    /**
     * Ctrl-C or SIGTERM during a run: stop its tasks (they end interrupted), give the runner a
     * moment to record the run's end and write its summary, then close the store.
     */
    static void shutDown(Orchestrator orchestrator, CountDownLatch recorded) {
        orchestrator.stopTasks();
        ShutdownWait.forMainThread(recorded);
        orchestrator.close();
    }

    static int exitCode(RunOutcome outcome) {
        if (outcome.state() == RunRecord.State.COMPLETED) {
            return ExitCodes.OK;
        }
        boolean interrupted = outcome.steps().stream()
                .anyMatch(step -> step.error() != null && step.error().startsWith("interrupted"));
        return interrupted ? ExitCodes.INTERRUPTED : ExitCodes.FAILED;
    }

    /**
     * Prints the outcome. With {@code json}, one object that keeps {@code mayfly run --json}'s fields
     * (taken from the final step's task) and adds runId, workflow, failedStep and steps.
     */
    static void print(PrintStream out, RunOutcome outcome, Orchestrator orchestrator, boolean json) {
        RunStepRecord last = finalStep(outcome);
        TaskRecord task = last.taskId() == null ? null : orchestrator.store().findTask(last.taskId()).orElse(null);
        if (json) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("taskId", last.taskId());
            object.put("status", outcome.state().label());
            object.put("reason", task == null || task.reason() == null ? null : task.reason().label());
            object.put("mode", task == null ? null : task.mode().label());
            object.put("exitCode", task == null ? null : task.exitCode());
            object.put("executionTimeMs", task == null ? null : task.executionTimeMs());
            object.put("memoryPeakMb", task == null ? null : task.memoryPeakMb());
            object.put("result", Json.readOrText(last.resultJson()));
            object.put("error", last.error());
            object.put("residentPeakMb", task == null ? null : task.residentPeakMb());
            object.put("memoryCapMb", task == null ? null : task.memoryCapMb());
            object.put("runId", outcome.runId());
            object.put("workflow", outcome.workflow().name());
            object.put("failedStep", outcome.failedStep());
            object.put("steps", RecordJson.steps(outcome.steps(), false));
            object.put("summary", outcome.summary().toString());
            out.println(Json.write(object));
        } else {
            out.printf(Locale.ROOT, "Run %s %s (workflow %s, %d step(s))%n", outcome.runId(),
                    outcome.state() == RunRecord.State.FAILED ? "failed at step '" + outcome.failedStep() + "'"
                            : outcome.state().label(),
                    outcome.workflow().name(), outcome.steps().size());
            for (RunStepRecord step : outcome.steps()) {
                out.printf(Locale.ROOT, "  %-12s %-9s %s%s%n", step.stepId(), step.state().label(),
                        step.taskId() == null ? "" : step.taskId(), step.error() == null ? "" : "  " + step.error());
            }
            out.println("Summary: " + outcome.summary());
        }
        out.flush();
    }

    /** The step whose result is the run's: the last one in the file that completed, else the one that failed. */
    private static RunStepRecord finalStep(RunOutcome outcome) {
        if (outcome.failedStep() != null) {
            return outcome.steps().stream().filter(step -> step.stepId().equals(outcome.failedStep())).findFirst().orElseThrow();
        }
        return outcome.steps().get(outcome.steps().size() - 1);
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
