package dev.mayfly.supervisor;

import java.time.Duration;
import java.time.Instant;

/**
 * How many ready workers a supervisor keeps, and why: the pool of worker JVMs (those running a task
 * and those ready for one) follows the tasks asked for.
 *
 * <ul>
 *   <li>At least {@code MAYFLY_MIN_WORKERS} JVMs are alive, running or ready.</li>
 *   <li>A long-lived supervisor (a server) that was asked for n tasks at once in the last
 *       {@code idle} keeps n JVMs alive: after a burst of three, three are ready for the next one;
 *       after a single task, one is. Once nothing has been asked for that long, it keeps the
 *       minimum again.</li>
 *   <li>Never more than {@code MAYFLY_MAX_WORKERS} JVMs, running and ready together.</li>
 * </ul>
 *
 * <p>A one-shot command (run, batch) has an idle of zero: no task arrives after its own, so a worker
 * started ahead would only be thrown away.
 */
final class StandbyDemand {

    /**
     * What to keep, and why (said in the pool's events).
     *
     * @param ready workers to have ready for tasks yet to come
     * @param most ready workers to keep at the most: the tasks waiting for a slot will take some
     * @param pool worker JVMs to have alive, running a task or ready for one
     */
    record Target(int ready, int most, int pool, String why) {}

    private final int minWorkers;
    private final int maxWorkers;
    private final Duration idle;
    /** The most tasks held at once (running and queued) since {@link #peakAt}. */
    private int peak;
    private Instant peakAt = Instant.MIN;

    StandbyDemand(int minWorkers, int maxWorkers, Duration idle) {
        this.minWorkers = minWorkers;
        this.maxWorkers = maxWorkers;
        this.idle = idle;
    }

    /** Whether any worker is ever started ahead of its task. */
    boolean any() {
        return minWorkers > 0 || !idle.isZero();
    }

    /** A task arrived; {@code held} is how many the supervisor has now, running and queued, this one included. */
    synchronized void arrived(int held, Instant now) {
        if (held >= peak || !recent(now)) {
            peak = held;
            peakAt = now;
        }
    }

    /** Whether the demand seen lately keeps more workers than the minimum, until it fades. */
    synchronized boolean fades(Instant now) {
        return recent(now) && peak > minWorkers;
    }

    private boolean recent(Instant now) {
        return !idle.isZero() && !peakAt.equals(Instant.MIN) && !now.isAfter(peakAt.plus(idle));
    }

    /**
     * How many workers should be ready now.
     *
     * @param running tasks that have their worker
     * @param held those and the tasks waiting for a slot (each will take a ready worker, or start one)
     */
    synchronized Target target(int running, int held, Instant now) {
        int demand = recent(now) ? peak : 0;
        int alive = Math.min(maxWorkers, Math.max(minWorkers, demand));
        String why;
        if (demand > minWorkers) {
            why = demand + (demand == 1 ? " task" : " tasks at once") + " in the last " + written(idle)
                    + " (MAYFLY_STANDBY_IDLE)" + (demand > maxWorkers ? ", within MAYFLY_MAX_WORKERS=" + maxWorkers : "");
        } else if (minWorkers > 0) {
            why = "MAYFLY_MIN_WORKERS=" + minWorkers;
        } else {
            why = idle.isZero() ? "no task expected" : "no task in the last " + written(idle);
        }
        return new Target(Math.max(0, alive - held), Math.max(0, alive - running), alive, why);
    }

    /** A duration as MAYFLY_STANDBY_IDLE takes it: 1m, 30s, 500ms. */
    static String written(Duration duration) {
        long ms = duration.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
