package dev.mayfly.memory;

import java.util.Locale;

/** How a task's memory cap is enforced ({@code MAYFLY_MEMORY_ENFORCEMENT}). */
public enum Enforcement {
    /** The kernel where Mayfly may use cgroup v2, else watching. */
    AUTO,
    /** Mayfly samples the task's processes and ends them at the cap. */
    WATCHED,
    /** A cgroup v2 child per task with {@code memory.max}: the kernel enforces the cap. */
    CGROUP;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Enforcement parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
