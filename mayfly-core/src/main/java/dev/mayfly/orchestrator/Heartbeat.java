package dev.mayfly.orchestrator;

import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The supervisor's heartbeat: its row in the store is marked alive every interval, so that a
 * supervisor on another machine sharing the store can tell it from one that is gone
 * ({@link SupervisorLiveness}). One daemon thread, one small write a beat.
 */
final class Heartbeat implements AutoCloseable {

    private final ScheduledExecutorService beats;

    private Heartbeat(ScheduledExecutorService beats) {
        this.beats = beats;
    }

    static Heartbeat start(TaskStore store, String supervisorId, Duration interval, Clock clock, OrchestratorLog log) {
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(work -> {
            Thread thread = new Thread(work, "mayfly-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        AtomicBoolean failing = new AtomicBoolean();
        beats.scheduleAtFixedRate(() -> {
            try {
                store.heartbeat(supervisorId, clock.instant());
                if (failing.compareAndSet(true, false)) {
                    log.info(OrchestratorLog.SUPERVISOR, "Heartbeat recorded again");
                }
            } catch (RuntimeException e) {
                // Said once, not every beat: the store's own trouble is reported where tasks are recorded.
                if (failing.compareAndSet(false, true)) {
                    log.warn(OrchestratorLog.SUPERVISOR, "Could not record this supervisor's heartbeat: " + e.getMessage());
                }
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new Heartbeat(beats);
    }

    /** Stops beating; a beat under way finishes first. */
    @Override
    public void close() {
        beats.shutdownNow();
        try {
            beats.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
