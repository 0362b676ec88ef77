package dev.mayfly.cli;

import dev.mayfly.json.Json;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.MemorySampleRecord;
import dev.mayfly.store.TaskRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** One task in full, as {@code mayfly status ID} prints it. */
final class TaskDetail {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private TaskDetail() {}

    static String render(TaskRecord task, String state, List<EventRecord> events, List<MemorySampleRecord> samples,
            List<String> logTail, Path heapDump, Clock clock) {
        StringBuilder text = new StringBuilder();
        text.append("Task ").append(task.id()).append(": ").append(state)
                .append(task.reason() == null ? "" : " (" + task.reason().label() + ")")
                .append(task.exitCode() == null ? "" : ", exit code " + task.exitCode()).append('\n');
        line(text, "prompt", task.prompt());
        line(text, "agent", task.agent());
        line(text, "routing", task.mode().label() + ": " + task.routingReason());
        line(text, "limits", String.format(Locale.ROOT, "complexity %.2f, %s, timeout %s", task.complexity(),
                task.heapLimitMb() == null ? "no heap cap (in-process)" : "heap cap " + task.heapLimitMb() + " MB",
                TaskViews.seconds(task.timeoutMs())));
        line(text, "time", "created " + task.createdAt() + (task.startedAt() == null ? "" : ", started " + task.startedAt())
                + (task.finishedAt() == null ? "" : ", finished " + task.finishedAt()));
        line(text, "ran", TaskViews.elapsed(task, clock) + ", peak heap " + TaskViews.megabytes(task.memoryPeakMb())
                + ", peak RSS " + TaskViews.megabytes(task.rssPeakMb()));
        if (task.pid() != null) {
            line(text, "process", "pid " + task.pid() + " (" + task.supervisorId() + ")");
        }
        if (task.attempts() > 1) {
            line(text, "attempts", task.attempts() + " workers, " + task.rotations() + " rotation(s) from a checkpoint"
                    + (task.attempts() - 1 > task.rotations() ? ", " + (task.attempts() - 1 - task.rotations())
                            + " restart(s) after a crash" : ""));
        }
        if (task.error() != null) {
            line(text, "error", task.error());
        }
        if (task.logPath() != null) {
            line(text, "folder", Path.of(task.logPath()).getParent().toString());
        }
        if (heapDump != null) {
            line(text, "heap dump", heapDump.toString());
        }
        text.append("\nEvents\n");
        for (EventRecord event : events) {
            text.append("  ").append(TIME.format(event.at())).append("  ").append(String.format("%-15s", event.type()))
                    .append(' ').append(event.dataJson().equals("{}") ? "" : event.dataJson()).append('\n');
        }
        text.append("\nHeap over time\n").append(HeapChart.render(samples));
        text.append("\nLog (last ").append(TaskViews.LOG_TAIL_LINES).append(" lines of task.log)\n");
        if (logTail.isEmpty()) {
            text.append("  (empty)\n");
        }
        logTail.forEach(line -> text.append("  ").append(line).append('\n'));
        text.append("\nResult\n");
        Object result = Json.readOrText(task.resultJson());
        text.append(result == null ? "  (none)" : "  " + Json.writePretty(result).replace("\n", "\n  ")).append('\n');
        return text.toString();
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "  %-10s %s%n", label + ":", value));
    }
}
