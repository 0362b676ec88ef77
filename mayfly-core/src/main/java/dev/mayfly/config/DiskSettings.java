package dev.mayfly.config;

import dev.mayfly.log.RecordText;

/**
 * The disk under Mayfly's home: how large one task's log may grow, and how much free space must
 * stay free for a task to start. docs/production.md says why the defaults are what they are.
 *
 * @param taskLogMaxMb the most a task's log keeps, its head and its tail ({@code MAYFLY_TASK_LOG_MAX_MB})
 * @param reserveMb free space below which no task starts ({@code MAYFLY_DISK_RESERVE_MB})
 */
public record DiskSettings(int taskLogMaxMb, int reserveMb) {

    public static final int DEFAULT_TASK_LOG_MAX_MB = 64;
    public static final int DEFAULT_RESERVE_MB = 1024;

    public long taskLogMaxBytes() {
        return taskLogMaxMb * 1024L * 1024;
    }

    /** As a record shows itself, without its first use's cost ({@link RecordText}). */
    @Override
    public String toString() {
        return RecordText.of(this);
    }
}
