package dev.mayfly.store;

import dev.mayfly.worker.MemorySample;
import java.time.Instant;

/** A memory sample as stored, with its task and time. */
public record MemorySampleRecord(String taskId, Instant at, MemorySample sample) {}
