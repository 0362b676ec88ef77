package dev.mayfly.cli;

import dev.mayfly.batch.BatchProgress;
import dev.mayfly.client.TaskView;
import dev.mayfly.json.Json;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.task.TaskOutcome;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a batch's run went, wherever its lines ran (in this process, or in a server): printed the
 * same way, and the exit status, from this alone.
 *
 * @param done how many lines ended
 * @param ended lines that ended, in the order they ended: every one that failed, and perhaps only those
 * @param problems the file's lines left out
 * @param interrupted whether it was stopped (Ctrl-C, SIGTERM)
 * @param resumable whether {@code mayfly resume} can take it up (not when its store was lost)
 * @param unrecorded why an outcome could not be stored, for each that could not
 */
record BatchSummary(String batchId, int done, List<Line> ended, BatchProgress progress, List<String> problems, boolean interrupted,
        boolean resumable, List<String> unrecorded) {

    /** A line and its task, as it ended. */
    record Line(int line, TaskView task) {}

    /** A task that ended in this process, as a view like a server's. */
    static TaskView view(TaskResult result) {
        TaskOutcome outcome = result.outcome();
        Map<String, Object> json = new LinkedHashMap<>(ResultJson.of(result));
        json.put("state", outcome.state().label());
        return TaskView.of(json);
    }

    int exitCode() {
        if (interrupted) {
            return ExitCodes.INTERRUPTED;
        }
        return progress.failed() > 0 || !problems.isEmpty() || !unrecorded.isEmpty() ? ExitCodes.FAILED : ExitCodes.OK;
    }

    void print(PrintStream out, boolean json) {
        Map<String, Integer> byReason = new TreeMap<>();
        for (Line line : ended) {
            if (line.task().reason() != null) {
                byReason.merge(line.task().reason(), 1, Integer::sum);
            }
        }
        int completed = done - progress.failed();
        int notStarted = progress.total() - done;
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("batchId", batchId);
            summary.put("tasks", progress.total());
            summary.put("completed", completed);
            summary.put("failed", progress.failed());
            summary.put("failedByReason", byReason);
            summary.put("notStarted", notStarted);
            summary.put("linesLeftOut", problems);
            summary.put("unrecorded", unrecorded);
            summary.put("elapsedMs", progress.elapsed().toMillis());
            out.println(Json.write(Map.of("summary", summary)));
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "Batch %s: %d tasks in %s (%.0f/min): %d completed, %d failed%s%s%s.%n",
                notStarted > 0 || interrupted ? "interrupted" : "done", progress.total(),
                TaskViews.seconds(progress.elapsed().toMillis()), progress.perMinute(), completed, progress.failed(),
                byReason.isEmpty() ? "" : " " + byReason.toString().replace("{", "(").replace("}", ")").replace("=", " "),
                notStarted == 0 ? "" : ", " + notStarted + " not started",
                problems.isEmpty() ? "" : ", " + problems.size() + " line(s) left out");
        for (Line line : ended) {
            TaskView task = line.task();
            if (!task.succeeded()) {
                out.printf(Locale.ROOT, "  line %d  %s  %s: %s%n", line.line(), task.taskId(),
                        task.reason() != null ? task.reason() : task.state(), task.error());
            }
        }
        problems.forEach(problem -> out.println("  " + problem + " (left out)"));
        boolean again = resumable && (notStarted > 0 || progress.failed() > 0);
        out.println("  batch " + batchId + (again ? " ('mayfly resume " + batchId + "' runs again what did not complete)" : ""));
        out.flush();
        unrecorded.forEach(why -> System.err.println("mayfly: " + why));
    }
}
