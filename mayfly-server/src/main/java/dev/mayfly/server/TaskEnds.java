package dev.mayfly.server;

/**
 * The ends of the tasks this server runs, as a signal: a stream that follows a task waits on it
 * between its looks at the store, so that the end of a task run here is sent at once instead of at
 * the next look, up to {@value TaskStreams#POLL_MS} ms later (a short task's client waited that long
 * for its answer). A task another node runs is still seen at the next look.
 */
final class TaskEnds {

    private final Object monitor = new Object();
    private long count;

    /** How many ends so far: what a waiter reads before it looks at the store. */
    long count() {
        synchronized (monitor) {
            return count;
        }
    }

    void ended() {
        synchronized (monitor) {
            count++;
            monitor.notifyAll();
        }
    }

    /** Waits until a task ends after {@code seen} ({@link #count}) was read, or for {@code millis}. */
    void await(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (monitor) {
            long left = millis;
            while (count == seen && left > 0) {
                monitor.wait(left);
                left = (deadline - System.nanoTime()) / 1_000_000;
            }
        }
    }
}
