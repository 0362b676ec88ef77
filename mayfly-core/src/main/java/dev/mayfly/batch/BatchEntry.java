package dev.mayfly.batch;

import dev.mayfly.store.NewTask;
import dev.mayfly.task.TaskRequest;

/**
 * One task of a batch file.
 *
 * @param line its line number in the file
 * @param request the task
 * @param workers the line's {@code workers}: true or false for this task, or null to follow USE_WORKERS
 * @param task the task as stored with its batch, or null before it is
 */
public record BatchEntry(int line, TaskRequest request, Boolean workers, NewTask task) {

    public BatchEntry(int line, TaskRequest request, Boolean workers) {
        this(line, request, workers, null);
    }

    public BatchEntry stored(NewTask newTask) {
        return new BatchEntry(line, request, workers, newTask);
    }
}
