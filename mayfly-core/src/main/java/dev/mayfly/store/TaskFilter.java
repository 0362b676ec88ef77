package dev.mayfly.store;

import dev.mayfly.api.Durations;
import dev.mayfly.errors.UsageException;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Which tasks to list.
 *
 * @param state only tasks in this state, or null for all
 * @param reason only failed tasks with this reason, or null for all
 * @param since only tasks created at or after this time, or null for all
 * @param limit at most this many, newest first
 * @param offset skipping this many of the newest first (a page further)
 */
public record TaskFilter(TaskState state, FailureReason reason, Instant since, int limit, int offset) {

    /** The newest {@code limit} tasks in a state (or all) created since a time (or ever). */
    public TaskFilter(TaskState state, Instant since, int limit) {
        this(state, null, since, limit, 0);
    }

    /** A state as a user wrote it ({@code setting} names the flag or query field, for the message). */
    public static TaskState state(String setting, String text) {
        try {
            return TaskState.fromLabel(text.trim());
        } catch (IllegalArgumentException e) {
            throw UsageException.invalid(setting, text, "queued, running, completed, failed or cancelled");
        }
    }

    /** A failure reason as a user wrote it. */
    public static FailureReason reason(String setting, String text) {
        try {
            return FailureReason.fromLabel(text.trim());
        } catch (IllegalArgumentException e) {
            throw UsageException.invalid(setting, text, "error, out_of_memory, crashed, timed_out or interrupted");
        }
    }

    /** A time as a user wrote it: a duration back from {@code now} (30m, 2h, 1d) or an instant. */
    public static Instant since(String setting, String text, Instant now) {
        String lower = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (lower.matches("\\d+d")) {
                return now.minusSeconds(86_400L * Long.parseLong(lower.substring(0, lower.length() - 1)));
            }
            return now.minus(Durations.parse(lower));
        } catch (IllegalArgumentException notADuration) {
            try {
                return Instant.parse(text.trim());
            } catch (DateTimeParseException notATime) {
                throw UsageException.invalid(setting, text, "a duration back from now (30m, 2h, 1d) or a time such as "
                        + "2026-11-21T10:00:00Z");
            }
        }
    }
}
