package dev.mayfly.cli;

import dev.mayfly.json.Json;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.MemorySampleRecord;
import dev.mayfly.store.TaskRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** How tasks look in {@code mayfly status}: table cells, JSON objects, the log's tail, the heap dump. */
final class TaskViews {

    static final int LOG_TAIL_LINES = 20;
    private static final int LOG_TAIL_BYTES = 16 * 1024;
    private static final int PROMPT_SHOWN = 2000;

    private TaskViews() {}

    /** How long the task ran, or has been running. */
    static String elapsed(TaskRecord task, Clock clock) {
        if (task.executionTimeMs() != null && task.state().terminal()) {
            return seconds(task.executionTimeMs());
        }
        if (task.startedAt() != null && !task.state().terminal()) {
            return seconds(Duration.between(task.startedAt(), clock.instant()).toMillis()) + "…";
        }
        return "-";
    }

    static String seconds(long millis) {
        return millis < 60_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0)
                : String.format(Locale.ROOT, "%dm%02ds", millis / 60_000, millis / 1000 % 60);
    }

    static String megabytes(Double value) {
        return value == null || value < 0 ? "-" : String.format(Locale.ROOT, "%.1f MB", value);
    }

    /** The prompt's first line, cut to {@code width} characters. */
    static String promptStart(String prompt, int width) {
        String first = prompt.strip().split("\\R", 2)[0];
        return first.length() <= width ? first : first.substring(0, width - 1) + "…";
    }

    /**
     * The prompt for a detail view: whole when it is short, else its first {@value #PROMPT_SHOWN}
     * characters and how long it is (a prompt of megabytes must not bury the rest of the view).
     */
    static String promptShown(String prompt) {
        return prompt.length() <= PROMPT_SHOWN ? prompt
                : prompt.substring(0, PROMPT_SHOWN) + "… (" + prompt.length() + " characters in all; --json shows it whole)";
    }

    static Map<String, Object> json(TaskRecord task) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("taskId", task.id());
        map.put("state", task.state().label());
        map.put("reason", task.reason() == null ? null : task.reason().label());
        map.put("mode", task.mode().label());
        map.put("agent", task.agent());
        map.put("prompt", task.prompt());
        map.put("params", Json.readOrText(task.paramsJson()));
        map.put("complexity", task.complexity());
        map.put("longRunning", task.longRunning());
        map.put("routingReason", task.routingReason());
        map.put("exitCode", task.exitCode());
        map.put("pid", task.pid());
        map.put("attempts", task.attempts());
        map.put("rotations", task.rotations());
        map.put("heapLimitMb", task.heapLimitMb());
        map.put("timeoutMs", task.timeoutMs());
        map.put("priority", task.priority());
        map.put("createdAt", text(task.createdAt()));
        map.put("startedAt", text(task.startedAt()));
        map.put("finishedAt", text(task.finishedAt()));
        map.put("executionTimeMs", task.executionTimeMs());
        map.put("memoryPeakMb", task.memoryPeakMb());
        map.put("rssPeakMb", task.rssPeakMb());
        map.put("residentPeakMb", task.residentPeakMb());
        map.put("memoryCapMb", task.memoryCapMb());
        map.put("waitReason", task.waitReason());
        map.put("error", task.error());
        map.put("supervisorId", task.supervisorId());
        map.put("folder", task.logPath() == null ? null : Path.of(task.logPath()).getParent().toString());
        return map;
    }

    static Map<String, Object> json(EventRecord event) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("at", event.at().toString());
        map.put("type", event.type());
        map.put("data", Json.readOrText(event.dataJson()));
        return map;
    }

    static Map<String, Object> json(MemorySampleRecord sample) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("at", sample.at().toString());
        map.putAll(sample.sample().toMap());
        map.put("residentMb", sample.residentMb());
        map.put("processes", sample.processes());
        return map;
    }

    static Map<String, Object> json(AttemptRecord attempt) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("attempt", attempt.attempt());
        map.put("kind", attempt.kind().label());
        map.put("heapMb", attempt.heapMb());
        map.put("memoryCapMb", attempt.memoryCapMb());
        map.put("enforcement", attempt.enforcement());
        map.put("pid", attempt.pid());
        map.put("startedAt", text(attempt.startedAt()));
        map.put("endedAt", text(attempt.endedAt()));
        map.put("outcome", attempt.outcome());
        map.put("error", attempt.error());
        map.put("heapPeakMb", attempt.heapPeakMb());
        map.put("residentPeakMb", attempt.residentPeakMb());
        map.put("escaped", attempt.escaped());
        return map;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** The last lines of the task's log, read from its end (a log may be gigabytes). */
    static List<String> logTail(TaskRecord task) {
        if (task.logPath() == null || !Files.isRegularFile(Path.of(task.logPath()))) {
            return List.of();
        }
        try (RandomAccessFile file = new RandomAccessFile(task.logPath(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, LOG_TAIL_BYTES);
            byte[] bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            List<String> lines = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R")));
            if (size < length && !lines.isEmpty()) {
                lines.remove(0);
            }
            return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + task.logPath() + ": " + e.getMessage() + ")");
        }
    }

    /** A heap dump in the task's folder (the production profile writes one on out-of-memory), or null. */
    static Path heapDump(TaskRecord task) {
        if (task.logPath() == null) {
            return null;
        }
        Path folder = Path.of(task.logPath()).getParent();
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".hprof")).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
