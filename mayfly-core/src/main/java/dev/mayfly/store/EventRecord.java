package dev.mayfly.store;

import java.time.Instant;

/** One entry of the append-only event log. */
public record EventRecord(long id, String taskId, String supervisorId, Instant at, String type, String dataJson) {}
