package dev.mayfly.store;

import dev.mayfly.worker.MemorySample;
import java.time.Instant;

/**
 * A memory sample as stored, with its task and time.
 *
 * @param sample the worker JVM's memory (its heap fields are -1 for an in-process command)
 * @param residentMb the whole process tree's memory, or null when not measured
 * @param processes how many processes the tree had, or null
 */
public record MemorySampleRecord(String taskId, Instant at, MemorySample sample, Double residentMb, Integer processes) {}
