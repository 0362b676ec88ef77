package dev.mayfly.supervisor;

/**
 * A supervisor's counters at one moment. {@code failed} is the sum of the reasons after it;
 * {@code cancelled} tasks (a user's cancel) are neither completed nor failed.
 *
 * @param spawned worker JVMs this supervisor tried to start
 * @param connected those that started and connected to it: {@code connected / spawned} is the spawn
 *     success rate
 * @param active workers alive now
 * @param queued tasks waiting for a worker now
 * @param ready workers started ahead, connected and waiting for a task now
 * @param foundReady worker attempts that found a ready worker
 * @param startedCold worker attempts that started their own JVM
 * @param retired ready workers ended unused
 */
public record SupervisorStats(long spawned, long connected, long completed, long failed, long errors, long timedOut,
        long outOfMemory, long crashed, long interrupted, long cancelled, int active, int queued, int ready,
        long foundReady, long startedCold, long retired) {

    /** The share of worker attempts that found a ready worker, or null before any. */
    public Double readyRate() {
        long assigned = foundReady + startedCold;
        return assigned == 0 ? null : (double) foundReady / assigned;
    }
}
