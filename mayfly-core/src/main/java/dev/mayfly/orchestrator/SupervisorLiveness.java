package dev.mayfly.orchestrator;

import dev.mayfly.store.SupervisorRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Tells whether a supervisor recorded in the store is still running. On this host: its pid is
 * alive and is the same process (same start time, so a reused pid does not count). On another
 * host it cannot be told from here, so it counts as alive and its tasks are left alone.
 */
public final class SupervisorLiveness {

    private static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(1);

    private SupervisorLiveness() {}

    public static boolean isAlive(SupervisorRecord supervisor, String thisHost) {
        if (!supervisor.host().equals(thisHost)) {
            return true;
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

    /** This machine's name as the store records it. */
    public static String thisHost() {
        String name = System.getenv("HOSTNAME");
        if (name != null && !name.isBlank()) {
            return name;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
