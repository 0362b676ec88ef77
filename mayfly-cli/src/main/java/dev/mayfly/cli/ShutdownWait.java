package dev.mayfly.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a Ctrl-C hook waits for before it returns: the JVM ends as soon as the hooks return, so a
 * hook waits (a little) for the main thread to record or print how the work ended.
 */
final class ShutdownWait {

    /** How long a hook waits for the main thread. */
    static final long SECONDS = 10;

    private ShutdownWait() {}

    /** Waits until {@code done} is counted down, at most {@link #SECONDS}. */
    static void forMainThread(CountDownLatch done) {
        try {
            done.await(SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
