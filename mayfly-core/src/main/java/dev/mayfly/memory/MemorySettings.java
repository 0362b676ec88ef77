package dev.mayfly.memory;

import dev.mayfly.log.RecordText;

/**
 * How the memory of a task's whole process tree is capped and the host protected.
 *
 * @param capMb the cap on a task's process tree ({@code MAYFLY_MEMORY_MB}, {@code --memory-mb}), or null
 *     for the default ({@link #capFor})
 * @param reserveMb memory kept free for everything else; a task starts only when its cap fits in
 *     what is available less this ({@code MAYFLY_MEMORY_RESERVE_MB})
 * @param floorMb below this much available memory, the newest, lowest-priority task is ended
 *     ({@code MAYFLY_HOST_FLOOR_MB})
 * @param usableMb all the memory this process could use (the host's, or its cgroup's), -1 unknown
 * @param enforcement kernel (cgroup v2) or watched ({@code MAYFLY_MEMORY_ENFORCEMENT})
 * @param nodeHeap whether Node programs get a {@code --max-old-space-size} derived from the cap
 *     ({@code MAYFLY_NODE_HEAP})
 * @param warnPercent the tree's use, in percent of its cap, that raises a warning
 *     ({@code MAYFLY_MEMORY_WARN_PERCENT})
 */
public record MemorySettings(Integer capMb, int reserveMb, int floorMb, long usableMb, Enforcement enforcement,
        boolean nodeHeap, double warnPercent) {

    /** The smallest cap accepted: below it not even a small program starts. */
    public static final int MIN_CAP_MB = 32;

    /**
     * The default cap, 8 GB: twice the default 4 GB heap, which is room for a full heap, the JVM's
     * own memory beside it (metaspace up to 256 MB, direct buffers up to 1 GB, code cache, the
     * collector's structures) and the programs an agent starts (a Claude Code or Codex process takes
     * 0.3 to 2 GB); and a runaway job is stopped at a third of a 24 GB machine instead of taking all
     * of it. It does not follow a smaller heap: a command agent needs little heap but its own memory.
     */
    public static final int DEFAULT_CAP_MB = 8192;

    /** The least a task with the default cap starts with, when less than its default is available. */
    public static final int MIN_DEFAULT_START_MB = 1024;

    /**
     * The cap of a task whose heap cap is {@code heapMb}: the one set, else {@link #DEFAULT_CAP_MB}
     * or twice the heap when that is more, at most {@link #maxCapMb()}. (A default cap may start
     * smaller, when the host has less available: see {@code MemoryAdmission}.)
     */
    public int capFor(int heapMb) {
        return capMb != null ? capMb : (int) Math.min(Math.max(DEFAULT_CAP_MB, 2L * heapMb), maxCapMb());
    }

    /** The largest cap a task can have: what this host could ever give it (usable less the reserve). */
    public int maxCapMb() {
        return usableMb < 0 ? Integer.MAX_VALUE : (int) Math.max(MIN_CAP_MB, Math.min(Integer.MAX_VALUE, usableMb - reserveMb));
    }

    /** What is accepted for a cap on this host, as an error message says it. */
    public String acceptedCaps() {
        return usableMb < 0 ? "a whole number of megabytes from " + MIN_CAP_MB
                : "a whole number of megabytes from " + MIN_CAP_MB + " to " + maxCapMb() + " (this host's " + usableMb
                        + " MB less the " + reserveMb + " MB reserve)";
    }

    /** The default reserve: a tenth of the usable memory, at least 256 MB and at most 2 GB. */
    public static int defaultReserveMb(long usableMb) {
        return usableMb < 0 ? 2048 : (int) Math.max(256, Math.min(2048, usableMb / 10));
    }

    /** As a record shows itself, without its first use's cost ({@link RecordText}). */
    @Override
    public String toString() {
        return RecordText.of(this);
    }
}
