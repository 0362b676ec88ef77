package dev.mayfly.task;

/**
 * How a task ended, and whether Mayfly could store it.
 *
 * @param unrecorded null when the outcome is in the store; else why it could not be written (the
 *     task then stays {@code running} there until the next start settles it)
 */
public record Settlement(TaskOutcome outcome, String unrecorded) {}
