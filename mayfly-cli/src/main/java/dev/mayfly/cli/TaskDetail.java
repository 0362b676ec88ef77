package dev.mayfly.cli;

import dev.mayfly.api.AgentEvent;
import dev.mayfly.config.AgentProviders;
import dev.mayfly.json.Json;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.ContextTier;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.MemorySampleRecord;
import dev.mayfly.store.RunStore;
import dev.mayfly.store.TaskFolder;
import dev.mayfly.store.TaskRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One task in full, as {@code mayfly status ID} prints it. */
final class TaskDetail {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** Events past this many are shown as the first and the last ones; --json has them all. */
    static final int MAX_EVENTS_SHOWN = 60;
    private static final int FIRST_EVENTS_SHOWN = 10;

    /** What is known of the task, from the store and its folder; {@code step} is null for a task of its own. */
    /**
     * @param agentLines what the task's agent makes of its events ({@link #agentLines}): label, text
     */
    record Facts(TaskRecord task, String state, List<EventRecord> events, Map<String, String> agentLines,
            List<MemorySampleRecord> samples, List<ContextTier> context, List<AttemptRecord> attempts,
            List<String> logTail, Path heapDump, RunStore.StepOfRun step) {}

    private TaskDetail() {}

    /**
     * What a named agent says about its task's events (the llm agent adds up its model calls), from
     * the agent's provider; nothing for other agents, or when the agent is no longer installed.
     */
    static Map<String, String> agentLines(AgentProviders agents, TaskRecord task, List<EventRecord> events) {
        return agents.find(task.agent()).map(provider -> provider.status(
                events.stream().map(event -> new AgentEvent(event.type(), event.data())).toList())).orElse(Map.of());
    }

    static String render(Facts facts, Clock clock) {
        TaskRecord task = facts.task();
        String state = facts.state();
        StringBuilder text = new StringBuilder();
        text.append("Task ").append(task.id()).append(": ").append(state)
                .append(task.reason() == null ? "" : " (" + task.reason().label() + ")")
                .append(task.exitCode() == null ? "" : ", exit code " + task.exitCode()).append('\n');
        line(text, "prompt", TaskViews.promptShown(task.prompt()));
        line(text, "agent", task.agent());
        if (facts.step() != null) {
            line(text, "run", "step '" + facts.step().stepId() + "' of " + facts.step().runId() + " ('mayfly status "
                    + facts.step().runId() + "' shows the run)");
        }
        line(text, "routing", task.mode().label() + ": " + task.routingReason());
        line(text, "limits", String.format(Locale.ROOT, "complexity %.2f, %s, %s, timeout %s", task.complexity(),
                task.heapLimitMb() == null ? "no heap cap (in-process)" : "heap cap " + task.heapLimitMb() + " MB",
                task.memoryCapMb() == null ? "no memory cap (in-process Java agent)"
                        : "memory cap " + task.memoryCapMb() + " MB" + enforcement(facts.attempts()),
                TaskViews.seconds(task.timeoutMs())));
        line(text, "time", "created " + task.createdAt() + (task.startedAt() == null ? "" : ", started " + task.startedAt())
                + (task.finishedAt() == null ? "" : ", finished " + task.finishedAt()));
        line(text, "ran", TaskViews.elapsed(task, clock) + ", " + MemoryFigures.of(task)
                + (task.rssPeakMb() == null ? "" : ", worker JVM's peak RSS " + TaskViews.megabytes(task.rssPeakMb())));
        if (task.waitReason() != null && !task.state().terminal()) {
            line(text, "waiting", task.waitReason());
        }
        if (task.pid() != null) {
            line(text, "process", "pid " + task.pid() + " (" + task.supervisorId() + ")");
        }
        if (task.attempts() > 1) {
            // Rotations moved on from a checkpoint or a session; the other later attempts are retries and restarts.
            int others = task.attempts() - 1 - task.rotations();
            line(text, "attempts", task.attempts() + " processes: " + task.rotations() + " rotation(s) to a fresh one"
                    + (others > 0 ? ", " + others + " retry or restart(s) after a failure" : "") + " (table below)");
        }
        if (task.error() != null) {
            line(text, "error", task.error());
        }
        if (task.logPath() != null) {
            line(text, "folder", Path.of(task.logPath()).getParent().toString());
        }
        if (facts.heapDump() != null) {
            line(text, "heap dump", facts.heapDump().toString());
        }
        facts.agentLines().forEach((label, line) -> line(text, label, line));
        if (!facts.context().isEmpty()) {
            line(text, "context", context(facts.context()));
        }
        attempts(text, facts.attempts());
        events(text, facts.events());
        text.append("\nMemory over time\n").append(MemoryChart.render(facts.samples(), task.memoryCapMb()));
        text.append("\nLog (last ").append(TaskFolder.LOG_TAIL_LINES).append(" lines of task.log)\n");
        if (facts.logTail().isEmpty()) {
            text.append("  (empty)\n");
        }
        facts.logTail().forEach(line -> text.append("  ").append(line).append('\n'));
        text.append("\nResult\n");
        Object result = Json.readOrText(task.resultJson());
        text.append(result == null ? "  (none)" : "  " + Json.writePretty(result).replace("\n", "\n  ")).append('\n');
        return text.toString();
    }

    /** The context segments kept, by tier: what a task that keeps its context has in the store. */
    private static String context(List<ContextTier> tiers) {
        List<String> parts = new ArrayList<>();
        long segments = 0;
        long tokens = 0;
        for (ContextTier tier : tiers) {
            parts.add(tier.segments() + " " + tier.tier());
            segments += tier.segments();
            tokens += tier.tokens();
        }
        return segments + " segments in the store (" + String.join(", ", parts) + "), about " + tokens + " tokens";
    }

    /** How the cap was enforced: watched, or by the kernel in a cgroup. */
    private static String enforcement(List<AttemptRecord> attempts) {
        return attempts.isEmpty() || attempts.get(attempts.size() - 1).enforcement() == null ? ""
                : " (" + attempts.get(attempts.size() - 1).enforcement() + ")";
    }

    /** Every attempt with its caps and peaks, when there was more than one or something escaped. */
    private static void attempts(StringBuilder text, List<AttemptRecord> attempts) {
        boolean escaped = attempts.stream().anyMatch(attempt -> attempt.escaped() != null && attempt.escaped() > 0);
        if (attempts.size() < 2 && !escaped) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "KIND", "HEAP CAP", "MEM CAP", "PEAK HEAP", "PEAK MEM", "OUTCOME", "ESCAPED", "ERROR"});
        for (AttemptRecord attempt : attempts) {
            rows.add(new String[] {Integer.toString(attempt.attempt()), attempt.kind().label(),
                attempt.heapMb() == null ? "-" : attempt.heapMb() + " MB",
                attempt.memoryCapMb() == null ? "-" : attempt.memoryCapMb() + " MB",
                TaskViews.megabytes(attempt.heapPeakMb()), TaskViews.megabytes(attempt.residentPeakMb()),
                attempt.outcome() == null ? "running" : attempt.outcome(),
                attempt.escaped() == null ? "-" : Integer.toString(attempt.escaped()),
                attempt.error() == null ? "" : TaskViews.promptStart(attempt.error(), 60)});
        }
        text.append("\nAttempts\n").append(Table.render(rows).replaceAll("(?m)^", "  "));
    }

    private static void events(StringBuilder text, List<EventRecord> events) {
        text.append("\nEvents\n");
        if (events.size() <= MAX_EVENTS_SHOWN) {
            events.forEach(event -> event(text, event));
            return;
        }
        events.subList(0, FIRST_EVENTS_SHOWN).forEach(event -> event(text, event));
        text.append("  … ").append(events.size() - MAX_EVENTS_SHOWN).append(" more (mayfly status ID --json lists them all)\n");
        events.subList(events.size() - (MAX_EVENTS_SHOWN - FIRST_EVENTS_SHOWN), events.size())
                .forEach(event -> event(text, event));
    }

    private static void event(StringBuilder text, EventRecord event) {
        text.append("  ").append(TIME.format(event.at())).append("  ").append(String.format("%-17s", event.type()))
                .append(' ').append(event.dataJson().equals("{}") ? "" : event.dataJson()).append('\n');
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "  %-10s %s%n", label + ":", value));
    }
}
