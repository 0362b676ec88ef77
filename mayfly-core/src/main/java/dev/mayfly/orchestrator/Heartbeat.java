package dev.mayfly.orchestrator;

import dev.mayfly.json.Json;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The supervisor's heartbeat: its row in the store is marked alive every interval, so that a
 * supervisor on another machine sharing the store can tell it from one that is gone
 * ({@link SupervisorLiveness}). One small write a beat, on the supervisor's chores thread. A beat that
 * finds the row marked stopped means the lease was lost: another node took this one for gone (it was
 * paused, or cut off from the store, for longer than {@link SupervisorLiveness#MISSED_BEATS} beats)
 * and settled its tasks; {@code lost} is told. Each beat also keeps the supervisor's live figures, which
 * nodes on other machines show (their control endpoints listen on loopback only).
 */
final class Heartbeat {

    private Heartbeat() {}

    /**
     * Beats on {@code beats} at once (so that its figures are there from the start), then every
     * interval until it is shut down.
     */
    static void schedule(ScheduledExecutorService beats, TaskStore store, String supervisorId, Duration interval,
            Clock clock, OrchestratorLog log, Supplier<Map<String, Object>> figures, Runnable lost) {
        AtomicBoolean failing = new AtomicBoolean();
        beats.scheduleAtFixedRate(() -> {
            try {
                boolean held = store.heartbeat(supervisorId, clock.instant(), Json.write(figures.get()));
                if (failing.compareAndSet(true, false)) {
                    log.info(OrchestratorLog.SUPERVISOR, "Heartbeat recorded again");
                }
                if (!held) {
                    lost.run();
                }
            } catch (RuntimeException e) {
                // Said once, not every beat: the store's own trouble is reported where tasks are recorded.
                if (failing.compareAndSet(false, true)) {
                    log.warn(OrchestratorLog.SUPERVISOR, "Could not record this supervisor's heartbeat: " + e.getMessage());
                }
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
}
