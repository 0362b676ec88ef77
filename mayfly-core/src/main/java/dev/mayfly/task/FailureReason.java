package dev.mayfly.task;

import java.util.Locale;

/** Why a task failed: exactly one of these is recorded with every failed task. */
public enum FailureReason {
    /** The agent threw, or exited non-zero. */
    ERROR,
    /** The worker's heap cap was reached. */
    OUT_OF_MEMORY,
    /** The worker died without a result: halt, signal, native crash. */
    CRASHED,
    /** The task ran past its timeout and was stopped. */
    TIMED_OUT,
    /** The supervisor stopped, or died, while the task was queued or running. */
    INTERRUPTED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FailureReason fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
