package dev.mayfly.routing;

import java.util.Locale;

/** Where a task runs. */
public enum Mode {
    /** A fresh, heap-capped worker JVM. */
    WORKER,
    /** A thread of the supervisor's own JVM. */
    IN_PROCESS;

    /** The name used in the store and in JSON output: {@code worker}, {@code in-process}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Mode fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
