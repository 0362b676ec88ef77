package dev.mayfly.store;

import dev.mayfly.errors.MayflyException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * How a database's use is tried again while it fails in a way that may pass (a SQLite file another
 * process holds, a PostgreSQL server restarting): after a pause that doubles from {@code firstPause}
 * up to {@code longestPause}, for up to {@code tryFor}. Any other failure, and the last one, is thrown.
 */
public record Backoff(Duration tryFor, Duration firstPause, Duration longestPause) {

    /**
     * @param worthRetrying whether a failure may pass if tried again
     * @param waitingFor what was waited for, for the message when the wait is interrupted
     */
    public <T> T run(Database.Work<T> work, Predicate<MayflyException> worthRetrying, String waitingFor) {
        long deadline = System.nanoTime() + tryFor.toNanos();
        long pause = firstPause.toMillis();
        while (true) {
            try {
                return work.run();
            } catch (MayflyException e) {
                if (!worthRetrying.test(e) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new MayflyException("interrupted while " + waitingFor, interrupted);
            }
            pause = Math.min(longestPause.toMillis(), pause * 2);
        }
    }
}
