package dev.mayfly.memory;

import dev.mayfly.process.ProcFs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which process belongs to which task, kept up to date from one listing of {@code /proc} a tick.
 *
 * <p>A process belongs to a task when it is the task's root (its worker JVM), when its environment
 * carries the task's mark, or when its parent belonged to the task when it was first seen. Each
 * process is examined once; only a young one is examined again while it is young, because between
 * its fork and its exec it still has its parent's environment, without the mark.
 */
final class ProcessCensus {

    /** How long a process that belongs to no task is looked at again: longer than any fork-to-exec. */
    static final long YOUNG_NANOS = 2_000_000_000L;

    /** A process seen: who it is and whose. */
    private record Known(long startTicks, MemoryJob job, long firstSeenNanos) {}

    private final ProcFs proc;
    private final Map<Long, Known> known = new HashMap<>();

    ProcessCensus(ProcFs proc) {
        this.proc = proc;
    }

    /** A task's process: its pid and start time (together they name one process for good). */
    record Member(long pid, long startTicks) {}

    /** Takes the census; returns each job's processes. */
    Map<MemoryJob, List<Member>> take(List<MemoryJob> jobs, long nowNanos) {
        long[] pids = proc.pids();
        Set<Long> alive = new HashSet<>(pids.length * 2);
        for (long pid : pids) {
            alive.add(pid);
        }
        known.keySet().retainAll(alive);
        known.values().removeIf(entry -> entry.job() != null && entry.job().closed());
        Map<Long, MemoryJob> roots = new HashMap<>();
        for (MemoryJob job : jobs) {
            if (job.rootPid() > 0) {
                roots.put(job.rootPid(), job);
            }
        }
        for (long pid : pids) {
            Known entry = known.get(pid);
            if (entry != null && (entry.job() != null || nowNanos - entry.firstSeenNanos() > YOUNG_NANOS)
                    && !roots.containsKey(pid)) {
                continue;
            }
            ProcFs.Stat stat = proc.stat(pid);
            if (stat == null) {
                continue;
            }
            boolean same = entry != null && entry.startTicks() == stat.startTicks();
            MemoryJob job = owner(stat, roots.get(pid), jobs);
            known.put(pid, new Known(stat.startTicks(), job, same ? entry.firstSeenNanos() : nowNanos));
        }
        Map<MemoryJob, List<Member>> members = new HashMap<>();
        known.forEach((pid, entry) -> {
            if (entry.job() != null) {
                members.computeIfAbsent(entry.job(), job -> new ArrayList<>()).add(new Member(pid, entry.startTicks()));
            }
        });
        return members;
    }

    /** The job a newly seen process belongs to, or null. */
    private MemoryJob owner(ProcFs.Stat stat, MemoryJob rootOf, List<MemoryJob> jobs) {
        if (rootOf != null) {
            return rootOf;
        }
        byte[] environment = proc.environment(stat.pid());
        if (environment == null) {
            return null;
        }
        for (MemoryJob job : jobs) {
            if (job.mark().in(environment)) {
                return job;
            }
        }
        Known parent = known.get(stat.parentPid());
        return parent == null || parent.job() == null || parent.job().closed() ? null : parent.job();
    }
}
