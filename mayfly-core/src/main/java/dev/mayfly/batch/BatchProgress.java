package dev.mayfly.batch;

import java.time.Duration;

/**
 * Where a batch stands.
 *
 * @param total tasks in the batch (lines left out not counted)
 * @param done tasks that ended, failed ones included
 * @param failed tasks that ended failed
 * @param running tasks running now
 * @param waiting tasks not started yet
 * @param elapsed since the batch started
 */
public record BatchProgress(int total, int done, int failed, int running, int waiting, Duration elapsed) {

    /** Tasks ended per minute so far. */
    public double perMinute() {
        double minutes = elapsed.toMillis() / 60_000.0;
        return minutes <= 0 ? 0 : done / minutes;
    }
}
