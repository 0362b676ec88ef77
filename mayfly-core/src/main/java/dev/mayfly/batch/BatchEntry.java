package dev.mayfly.batch;

import dev.mayfly.task.TaskRequest;

/**
 * One task of a batch file.
 *
 * @param line its line number in the file
 * @param request the task
 * @param workers the line's {@code workers}: true or false for this task, or null to follow USE_WORKERS
 */
public record BatchEntry(int line, TaskRequest request, Boolean workers) {}
