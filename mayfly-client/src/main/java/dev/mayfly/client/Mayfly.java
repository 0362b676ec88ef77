package dev.mayfly.client;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Mayfly as a Java service sees it: hand it a task, follow it, wait for it, cancel it. A
 * {@link MayflyClient} does this against a server ({@code mayfly serve}) over its HTTP API; an
 * embedded supervisor does it inside the caller's JVM. Either way each task is stored queued before
 * {@link #submit} returns, and runs under the supervisor's pool, priorities and memory limits.
 */
public interface Mayfly extends AutoCloseable {

    /** Stores the task queued and starts it; returns it as stored. Bad fields: {@link MayflyClientException} 400. */
    TaskView submit(TaskSubmission task);

    /** The task as the store has it now; {@link MayflyClientException} 404 when there is none. */
    TaskView task(String taskId);

    /** Waits until the task has ended and returns how; looks every quarter second, as the supervisor does. */
    default TaskView await(String taskId, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TaskView task = task(taskId);
            if (task.ended()) {
                return task;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("task " + taskId + " is still " + task.state() + " after " + timeout);
            }
            Thread.sleep(250);
        }
    }

    /**
     * Tells {@code listener} what happens to the task as it happens (its events, memory samples and
     * log lines, then {@code end}) until it ends; returns it as it ended.
     */
    TaskView follow(String taskId, Consumer<TaskEvent> listener) throws InterruptedException;

    /**
     * Asks for the task to be cancelled: its whole process tree is stopped and it ends
     * {@code cancelled}. False when it had already ended.
     */
    boolean cancel(String taskId);

    @Override
    void close();
}
