package dev.mayfly.store;

import java.time.Instant;

/**
 * A supervisor as the store knows it: enough to tell, later, whether it is still alive.
 *
 * @param pidStartedAt when the supervisor's process started, to tell a reused pid apart; may be null
 */
public record SupervisorRecord(String id, String host, long pid, Instant pidStartedAt, Instant startedAt) {}
