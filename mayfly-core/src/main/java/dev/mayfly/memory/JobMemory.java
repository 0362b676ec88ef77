package dev.mayfly.memory;

import dev.mayfly.errors.MayflyException;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.process.JobLaunch;
import dev.mayfly.process.ProcFs;
import dev.mayfly.process.TaskMark;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A task's whole process tree, as one thing to measure, cap and contain: what the supervisor and
 * the in-process runner open for each attempt ({@link #open}), and what admits tasks by memory
 * ({@link #admission()}). One per Mayfly process.
 */
public final class JobMemory {

    private final MemorySettings settings;
    private final HostMemory host;
    private final MemoryWatch watch;
    private final MemoryAdmission admission;
    private final Path cgroupParent;
    private final String enforcementNote;
    private final Duration reportInterval;
    private final String inheritedNodeOptions;
    private final AtomicLong sequence = new AtomicLong();

    private JobMemory(MemorySettings settings, HostMemory host, ProcFs proc, Path cgroupParent, String enforcementNote,
            Duration reportInterval, OrchestratorLog log, Clock clock) {
        this.settings = settings;
        this.host = host;
        this.cgroupParent = cgroupParent;
        this.enforcementNote = enforcementNote;
        this.reportInterval = reportInterval;
        this.inheritedNodeOptions = System.getenv("NODE_OPTIONS");
        this.admission = new MemoryAdmission(host, settings.reserveMb());
        this.watch = new MemoryWatch(proc, host, settings.floorMb(), reportInterval, log, clock, admission::wake);
    }

    /**
     * Decides how caps are enforced on this host (a delegated cgroup v2, else watching) and starts.
     *
     * @throws MayflyException when {@code MAYFLY_MEMORY_ENFORCEMENT=cgroup} and the cgroup could not be
     *     prepared (the settings have checked that it looks delegated)
     */
    public static JobMemory start(MemorySettings settings, HostMemory host, Duration reportInterval, OrchestratorLog log,
            Clock clock) {
        Path parent = null;
        String note;
        if (settings.enforcement() == Enforcement.WATCHED) {
            note = "watched (MAYFLY_MEMORY_ENFORCEMENT=watched)";
        } else {
            CgroupDelegation.Result cgroups = CgroupDelegation.prepare(CgroupLocation.ofThisProcess(),
                    ProcessHandle.current().pid());
            if (cgroups.parent().isPresent()) {
                parent = cgroups.parent().get();
                note = cgroups.note();
            } else if (settings.enforcement() == Enforcement.CGROUP) {
                throw new MayflyException("MAYFLY_MEMORY_ENFORCEMENT=cgroup, but " + cgroups.note()
                        + "; use auto or watched, or run Mayfly in a delegated cgroup (docs/memory.md)");
            } else {
                note = "watched: " + cgroups.note();
            }
        }
        return new JobMemory(settings, host, ProcFs.system(), parent, note, reportInterval, log, clock);
    }

    public MemorySettings settings() {
        return settings;
    }

    public HostMemory host() {
        return host;
    }

    public MemoryAdmission admission() {
        return admission;
    }

    /** How caps are enforced here, and why, in one line. */
    public String enforcementNote() {
        return enforcementNote;
    }

    /** The watch, for benchmarks that count its ticks. */
    public MemoryWatch watch() {
        return watch;
    }

    /**
     * Opens a task's attempt: its cgroup (where the kernel enforces), its launch (the mark, a Node
     * heap limit), and the watch. Call {@link MemoryJob#close()} when the attempt is over.
     */
    public MemoryJob open(String taskId, int attempt, int capMb, int priority, JobListener listener) {
        TaskCgroup cgroup = null;
        if (cgroupParent != null) {
            try {
                cgroup = TaskCgroup.create(cgroupParent, "mayfly-" + taskId + "-" + attempt, capMb);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create the cgroup of task " + taskId + " under " + cgroupParent
                        + ": " + e.getMessage(), e);
            }
        }
        Map<String, String> environment = new LinkedHashMap<>();
        environment.putAll(TaskMark.ofThisSupervisor(taskId).variables());
        if (settings.nodeHeap()) {
            NodeHeap.nodeOptions(inheritedNodeOptions, capMb).ifPresent(options -> environment.put("NODE_OPTIONS", options));
        }
        JobLaunch launch = new JobLaunch(environment, cgroup == null ? List.of() : cgroup.launchPrefix());
        MemoryJob job = new MemoryJob(watch, new MemoryJob.JobSpec(taskId, capMb, settings.warnPercent(), priority,
                reportInterval, listener), sequence.incrementAndGet(), launch, cgroup, System.nanoTime());
        watch.add(job);
        return job;
    }

    /** The Node heap limit a task with this cap gets, or -1 when none is set. */
    public int nodeMaxOldSpaceMb(int capMb) {
        return settings.nodeHeap() && NodeHeap.nodeOptions(inheritedNodeOptions, capMb).isPresent()
                ? NodeHeap.maxOldSpaceMb(capMb) : -1;
    }
}
