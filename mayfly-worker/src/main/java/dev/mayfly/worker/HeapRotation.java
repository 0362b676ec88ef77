package dev.mayfly.worker;

import dev.mayfly.agent.RunningTask;

/**
 * When a Java agent's task moves to a fresh worker: once the live heap (what is left in use after a
 * collection) passes {@code MAYFLY_ROTATE_PERCENT} of the heap cap.
 *
 * <p>It is decided in two places. After each collection, by the collection listener, which then
 * asks the agent to rotate at its next checkpoint; that listener starts a quarter second into the
 * task (see {@link MemoryReporter}) and hears collections on another thread, so an agent that fills
 * its heap faster than that (1 MB steps with no pause ran out of a 64 MB heap in 0.4 s without one
 * rotation) is also judged at each of its own checkpoints, on its own thread: the heap in use right
 * now, garbage included, is read first (two fields of {@link Runtime}, a few nanoseconds); only when
 * that alone is past the threshold is the live heap of the last collection read from the
 * collectors. A checkpoint far below the threshold costs nothing more, and the worker's start
 * nothing at all.
 */
final class HeapRotation {

    private final RunningTask task;
    private final MemoryMonitor monitor;
    private final double rotatePercent;
    private volatile double livePercentAtRotation;

    HeapRotation(RunningTask task, MemoryMonitor monitor, double rotatePercent) {
        this.task = task;
        this.monitor = monitor;
        this.rotatePercent = rotatePercent;
    }

    /** After a collection: {@code livePercent} of the cap is still in use. */
    void afterCollection(double livePercent) {
        if (livePercent > rotatePercent && !task.rotationRequested()) {
            livePercentAtRotation = livePercent;
            task.requestRotation();
        }
    }

    /** At the agent's checkpoint: whether it should move to a fresh worker now. */
    boolean dueAtCheckpoint() {
        if (task.rotationRequested()) {
            return true;
        }
        if (MemoryMonitor.heapInUsePercent() <= rotatePercent) {
            return false;
        }
        afterCollection(monitor.liveHeapPercentAfterLastCollection());
        return task.rotationRequested();
    }

    /** The live heap, in percent of the cap, that asked for the rotation. */
    double livePercentAtRotation() {
        return livePercentAtRotation;
    }
}
