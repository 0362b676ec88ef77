package dev.mayfly.orchestrator;

import dev.mayfly.errors.UsageException;
import dev.mayfly.store.SupervisorRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Tells whether a supervisor recorded in the store is still running. One that stopped is not. On
 * this host, its process says so at once: its pid is alive and is the same process (same start time,
 * so a reused pid does not count). On another host (a store shared by several machines), its
 * heartbeat does: it is alive while its last beat is at most {@link #MISSED_BEATS} of its own
 * intervals old. A supervisor of a Mayfly that did not beat cannot be told from another host, so it
 * counts as alive and its tasks are left alone.
 */
public final class SupervisorLiveness {

    private static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(1);
    /** Beats a supervisor may miss before another machine takes it for gone: a long pause is not death. */
    public static final int MISSED_BEATS = 3;

    private SupervisorLiveness() {}

    /** @param now the time as this process knows it, to read another host's heartbeat against */
    public static boolean isAlive(SupervisorRecord supervisor, String thisHost, Instant now) {
        if (supervisor.stoppedAt() != null) {
            return false;
        }
        if (!supervisor.host().equals(thisHost)) {
            return heartbeatFresh(supervisor, now);
        }
        Optional<ProcessHandle> process = ProcessHandle.of(supervisor.pid());
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = process.get().info().startInstant();
        if (supervisor.pidStartedAt() == null || started.isEmpty()) {
            return true;
        }
        return Duration.between(started.get(), supervisor.pidStartedAt()).abs().compareTo(START_TIME_TOLERANCE) <= 0;
    }

    /** Whether it is alive, seen from this host at the clock's time. */
    public static boolean isAlive(SupervisorRecord supervisor, Clock clock) {
        return isAlive(supervisor, thisHost(), clock.instant());
    }

    private static boolean heartbeatFresh(SupervisorRecord supervisor, Instant now) {
        if (supervisor.heartbeatAt() == null || supervisor.heartbeatInterval() == null) {
            return true;
        }
        Instant deadline = supervisor.heartbeatAt().plus(supervisor.heartbeatInterval().multipliedBy(MISSED_BEATS));
        return !now.isAfter(deadline);
    }

    /** This machine's name as the store records it: {@code HOSTNAME} when set, else the kernel's. */
    public static String thisHost() {
        return ThisHost.NAME;
    }

    /** Found once: a running process keeps the name it started with, and finding it is not free. */
    private static final class ThisHost {

        static final String NAME = find();

        private static String find() {
            String name = System.getenv("HOSTNAME");
            if (name != null && !name.isBlank()) {
                return name;
            }
            // The kernel's name for this host, as hostname prints it: what InetAddress.getLocalHost() gives
            // when the name resolves, without resolving it. That looks for name services on the whole
            // classpath first on JDK 25, 27-31 ms of every command (docs/benchmarks.md, "The command line").
            try {
                String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
                if (!kernel.isEmpty()) {
                    return kernel;
                }
            } catch (IOException | RuntimeException e) {
                // Not Linux: the JDK's way below.
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "localhost";
            }
        }
    }

    /**
     * Refuses to take up what a live supervisor is running now: resuming it too would run its tasks
     * twice.
     *
     * @param what what it is, for the message: {@code run run-…}, {@code batch batch-…}
     */
    public static void refuseIfRunning(TaskStore store, String what, String supervisorId, Clock clock) {
        store.findSupervisor(supervisorId).ifPresent(supervisor -> {
            if (isAlive(supervisor, clock)) {
                throw new UsageException(what + " is still being run by " + supervisor.id() + " (pid "
                        + supervisor.pid() + "); resume it once that process has ended");
            }
        });
    }

    /**
     * A task's state as it is shown: the stored one, marked when a running task's supervisor is gone
     * (the next start settles it), or when a queued one waits (for memory, for a retry).
     */
    public static String shownState(TaskStore store, TaskRecord task, String thisHost, Instant now) {
        String shown = shownState(store, task.state().label(), !task.state().terminal(), task.supervisorId(), thisHost, now);
        if (!shown.equals(task.state().label())) {
            return shown;
        }
        if (task.waitReason() != null && !task.state().terminal()) {
            return shown + (task.waitReason().startsWith("waiting for memory") ? " (memory)" : " (retry)");
        }
        return shown;
    }

    /**
     * A state as shown, a task's, a run's or a batch's: marked when the work is not ended and its
     * supervisor is gone.
     *
     * @param unended whether the work is queued or running: only then does its supervisor's life matter
     */
    public static String shownState(TaskStore store, String label, boolean unended, String supervisorId, String thisHost,
            Instant now) {
        if (!unended) {
            return label;
        }
        boolean alive = store.findSupervisor(supervisorId).map(supervisor -> isAlive(supervisor, thisHost, now))
                .orElse(false);
        return alive ? label : label + " (supervisor gone)";
    }
}
