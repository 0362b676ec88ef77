package dev.mayfly.task;

import java.util.Locale;

/** A task's state. {@link #COMPLETED}, {@link #FAILED} and {@link #CANCELLED} are final. */
public enum TaskState {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskState fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
