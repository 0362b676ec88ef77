package dev.mayfly.memory;

import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.process.ProcFs;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One thread ({@code mayfly-memory-watch}) that watches the memory of every running task and of
 * the host: each tick it lists {@code /proc} once, reads each task's processes, ends a tree past
 * its cap, and, when the host's available memory is below the floor, ends the newest task of the
 * lowest priority. It runs only while a task is being watched.
 *
 * <p>How often: a tree far below its cap is read every {@value #MAX_TICK_MS} ms; nearer the cap,
 * more often: the next tick comes by the time the tree could cover half of its headroom growing at
 * 1 GB a second (or faster, if it was seen growing faster), and never sooner than
 * {@value #MIN_TICK_MS} ms; and a growing tree is read every {@value #PEAK_STEP_MB} MB of its growth,
 * so that its peak is close to the truth even if it ends between two looks. A job allocating 200 MB
 * a second is read every 40 ms, and every few milliseconds in its last few tens of megabytes before
 * the cap (docs/benchmarks.md has the overshoot and the cost).
 */
public final class MemoryWatch {

    static final long MAX_TICK_MS = 250;
    static final long MIN_TICK_MS = 5;
    /** A job in its first second is looked at this often, so that a short task still gets its true peak. */
    static final long YOUNG_TICK_MS = 50;
    static final long YOUNG_NANOS = 1_000_000_000L;
    /** The host's memory is read at least this often (more often near the floor). */
    static final long HOST_READ_MS = 1000;
    /** How far a growing tree may grow between two looks, in MB: the peak is that close to the truth. */
    static final double PEAK_STEP_MB = 8;
    /** The growth assumed when none faster was seen: 1 GB a second, in MB a millisecond. */
    private static final double ASSUMED_GROWTH_MB_PER_MS = 1.0;

    private final ProcFs proc;
    private final HostMemory host;
    private final int floorMb;
    private final long reportIntervalNanos;
    private final OrchestratorLog log;
    private final Clock clock;
    private final ProcessCensus census;
    private final Runnable jobEnded;
    private final List<MemoryJob> jobs = new CopyOnWriteArrayList<>();
    private final Object signal = new Object();
    private Thread thread;
    private boolean woken;
    private long ticks;
    private long lastTickNanos;
    private long nextHostReadNanos;
    private long lastAvailableMb = -1;
    private MemoryJob hostVictim;

    /** @param jobEnded told when a job is no longer watched (memory may have come back) */
    MemoryWatch(ProcFs proc, HostMemory host, int floorMb, Duration reportInterval, OrchestratorLog log, Clock clock,
            Runnable jobEnded) {
        this.jobEnded = jobEnded;
        this.proc = proc;
        this.host = host;
        this.floorMb = floorMb;
        this.reportIntervalNanos = reportInterval.toNanos();
        this.log = log;
        this.clock = clock;
        this.census = new ProcessCensus(proc);
    }

    long reportIntervalNanos() {
        return reportIntervalNanos;
    }

    /** Starts watching a job (and the watch's thread, if it was idle). */
    void add(MemoryJob job) {
        synchronized (signal) {
            jobs.add(job);
            woken = true;
            if (thread == null) {
                thread = new Thread(this::run, "mayfly-memory-watch");
                thread.setDaemon(true);
                thread.start();
            }
            signal.notifyAll();
        }
    }

    void remove(MemoryJob job) {
        jobs.remove(job);
        jobEnded.run();
    }

    /** Looks again at once (a task's first process started). */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** How many ticks the watch has made, for the benchmarks. */
    public long ticks() {
        return ticks;
    }

    private void run() {
        while (true) {
            long waitMs;
            synchronized (signal) {
                if (jobs.isEmpty()) {
                    thread = null;
                    return;
                }
            }
            try {
                waitMs = tick();
            } catch (RuntimeException e) {
                log.error(OrchestratorLog.SUPERVISOR, "memory watch: " + e + "; watching on");
                waitMs = MAX_TICK_MS;
            }
            synchronized (signal) {
                try {
                    // A wake-up that came during the tick is not lost: the next tick comes at once.
                    if (!jobs.isEmpty() && !woken) {
                        signal.wait(waitMs);
                    }
                    woken = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One look at every job and at the host; returns how long to wait for the next, in ms. */
    private long tick() {
        ticks++;
        long now = System.nanoTime();
        double sinceLastMs = ticks == 1 ? MAX_TICK_MS : Math.max(1, (now - lastTickNanos) / 1e6);
        lastTickNanos = now;
        List<MemoryJob> watched = List.copyOf(jobs);
        Map<MemoryJob, List<ProcessCensus.Member>> members = census.take(watched, now);
        double wait = MAX_TICK_MS;
        for (MemoryJob job : watched) {
            double before = job.latest().map(JobReading::residentMb).orElse(0.0);
            double residentMb = job.observe(proc, members.getOrDefault(job, List.of()), now, clock.instant());
            double growing = (residentMb - before) / sinceLastMs;
            wait = Math.min(wait, (job.capMb() - residentMb) / Math.max(ASSUMED_GROWTH_MB_PER_MS, growing) / 2);
            if (growing > 0) {
                // A growing tree is read every few megabytes, so that its peak is not missed if it ends.
                wait = Math.min(wait, PEAK_STEP_MB / growing);
            }
            if (now - job.openedNanos() < YOUNG_NANOS) {
                wait = Math.min(wait, YOUNG_TICK_MS);
            }
        }
        if (now >= nextHostReadNanos) {
            // The host is read by the time it could fall halfway to the floor at 1 GB a second, and at least
            // every second: reading it (meminfo and each cgroup's files) costs more than a task's tree.
            lastAvailableMb = host.availableMb();
            long untilFloorMs = (long) ((lastAvailableMb - floorMb) / ASSUMED_GROWTH_MB_PER_MS / 2);
            nextHostReadNanos = now + Math.max(MIN_TICK_MS, Math.min(HOST_READ_MS, untilFloorMs)) * 1_000_000;
            if (lastAvailableMb >= 0) {
                guardFloor(watched, lastAvailableMb);
            }
        }
        if (lastAvailableMb >= 0) {
            wait = Math.min(wait, (nextHostReadNanos - now) / 1e6);
        }
        return (long) Math.max(MIN_TICK_MS, Math.min(MAX_TICK_MS, wait));
    }

    /**
     * Below the floor, ends one task: the lowest priority, the newest of those; then waits for its
     * processes to be gone before it judges the host again (ending one may be enough).
     */
    private void guardFloor(List<MemoryJob> watched, long availableMb) {
        if (hostVictim != null && !hostVictim.closed() && hostVictim.hasProcesses()) {
            return;
        }
        hostVictim = null;
        if (availableMb >= floorMb) {
            return;
        }
        watched.stream()
                .filter(job -> job.breach().isEmpty() && job.hasProcesses())
                .min(Comparator.comparingInt(MemoryJob::priority).thenComparing(Comparator.comparingLong(MemoryJob::sequence)
                        .reversed()))
                .ifPresent(victim -> {
                    log.warn(OrchestratorLog.SUPERVISOR, "The host is low on memory (" + availableMb + " MB available, "
                            + "floor " + floorMb + " MB): ending task " + victim.taskId() + ", the newest of the lowest "
                            + "priority", "taskId", victim.taskId());
                    hostVictim = victim;
                    victim.endForHost(availableMb, floorMb);
                });
    }
}
