package dev.mayfly.supervisor;

import dev.mayfly.task.TaskOutcome;
import java.util.concurrent.atomic.AtomicLong;

/** What a supervisor has done since it started; read as a {@link SupervisorStats} snapshot. */
final class SupervisorCounters {

    private final AtomicLong spawned = new AtomicLong();
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong outOfMemory = new AtomicLong();
    private final AtomicLong crashed = new AtomicLong();
    private final AtomicLong interrupted = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong foundReady = new AtomicLong();
    private final AtomicLong startedCold = new AtomicLong();
    private final AtomicLong retired = new AtomicLong();

    /** A worker JVM is about to be started. */
    void spawned() {
        spawned.incrementAndGet();
    }

    /** A worker JVM started and connected: its spawn succeeded. */
    void connected() {
        connected.incrementAndGet();
    }

    /** A task got its worker: a ready one ({@code ready}), or one started for it. */
    void assigned(boolean ready) {
        (ready ? foundReady : startedCold).incrementAndGet();
    }

    /** A ready worker was ended unused (the demand fell, the supervisor closed). */
    void retired() {
        retired.incrementAndGet();
    }

    void ended(TaskOutcome outcome) {
        if (outcome.succeeded()) {
            completed.incrementAndGet();
            return;
        }
        if (outcome.reason() == null) {
            cancelled.incrementAndGet();
            return;
        }
        failed.incrementAndGet();
        switch (outcome.reason()) {
            case ERROR:
                errors.incrementAndGet();
                break;
            case TIMED_OUT:
                timedOut.incrementAndGet();
                break;
            case OUT_OF_MEMORY:
                outOfMemory.incrementAndGet();
                break;
            case CRASHED:
                crashed.incrementAndGet();
                break;
            default:
                interrupted.incrementAndGet();
        }
    }

    SupervisorStats snapshot(int active, int queued, int ready) {
        return new SupervisorStats(spawned.get(), connected.get(), completed.get(), failed.get(), errors.get(), timedOut.get(),
                outOfMemory.get(), crashed.get(), interrupted.get(), cancelled.get(), active, queued, ready, foundReady.get(),
                startedCold.get(), retired.get());
    }
}
