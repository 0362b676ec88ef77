package dev.mayfly.cli;

import dev.mayfly.store.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * How tasks look in {@code mayfly status} and {@code top}: table cells (their JSON is
 * {@link dev.mayfly.store.RecordJson}'s).
 */
final class TaskViews {

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
}
