package dev.mayfly.cli;

import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How tasks look in {@code mayfly status}: table cells, the log's tail, the heap dump (their JSON is
 * {@link dev.mayfly.store.RecordJson}'s).
 */
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

    /**
     * The stored state, marked when a running task's supervisor is gone (the next start settles it),
     * or when a queued one waits (for memory, for a retry).
     */
    static String state(TaskStore store, TaskRecord task, String host, Clock clock) {
        if (task.state().terminal()) {
            return task.state().label();
        }
        boolean alive = store.findSupervisor(task.supervisorId())
                .map(supervisor -> SupervisorLiveness.isAlive(supervisor, host, clock.instant())).orElse(false);
        if (!alive) {
            return task.state().label() + " (supervisor gone)";
        }
        if (task.waitReason() != null) {
            return task.state().label() + (task.waitReason().startsWith("waiting for memory") ? " (memory)" : " (retry)");
        }
        return task.state().label();
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
