package dev.mayfly.supervisor;

import dev.mayfly.errors.MayflyException;

/** A task was refused because the supervisor's queue is full. */
public final class QueueFullException extends MayflyException {

    public QueueFullException(int capacity, int active) {
        super("the worker queue is full: " + capacity + " tasks waiting and " + active + " running; raise "
                + "MAYFLY_QUEUE_CAPACITY or MAYFLY_MAX_WORKERS, or submit later");
    }
}
