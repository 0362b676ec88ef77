package dev.mayfly.store;

import java.time.Duration;
import java.time.Instant;

/**
 * A supervisor as the store knows it: enough to tell, later and from any machine, whether it is
 * still alive.
 *
 * @param pidStartedAt when the supervisor's process started, to tell a reused pid apart; may be null
 * @param heartbeatAt its last heartbeat; null for a supervisor of a Mayfly that did not beat
 * @param heartbeatInterval how often it beats; null likewise
 * @param stoppedAt when it stopped (or was found gone); null while it runs
 */
public record SupervisorRecord(String id, String host, long pid, Instant pidStartedAt, Instant startedAt,
        Instant heartbeatAt, Duration heartbeatInterval, Instant stoppedAt) {

    /** A supervisor starting now: its first heartbeat is its start. */
    public static SupervisorRecord starting(String id, String host, long pid, Instant pidStartedAt, Instant startedAt,
            Duration heartbeatInterval) {
        return new SupervisorRecord(id, host, pid, pidStartedAt, startedAt, startedAt, heartbeatInterval, null);
    }
}
