package dev.mayfly.supervisor;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A single daemon thread for timers (a task's timeout, a stop's grace period, a supervisor's
 * chores) that forgets a timer as soon as it is cancelled. The JDK's scheduler keeps a cancelled
 * timer, and all it refers to, until its time would have come: every ended task's ten-minute timeout
 * held its whole attempt in the supervisor's heap for ten minutes, so a busy supervisor's heap grew
 * by every task of the last ten minutes (docs/benchmarks.md, "The supervisor over 10,000 worker tasks").
 */
public final class DaemonTimers {

    private DaemonTimers() {}

    public static ScheduledThreadPoolExecutor start(String threadName) {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }
}
