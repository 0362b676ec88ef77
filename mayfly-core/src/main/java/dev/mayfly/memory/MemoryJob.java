package dev.mayfly.memory;

import dev.mayfly.process.JobLaunch;
import dev.mayfly.process.ProcFs;
import dev.mayfly.process.ProcessTree;
import dev.mayfly.process.TaskMark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt of a task as the memory watch sees it: its processes, their memory, its cap, and
 * what ended it. Opened before the task's first process starts ({@link #launch()} says how to
 * start it), closed after the task's own process tree has been ended ({@link #close()} then ends
 * whatever escaped it).
 *
 * <p>How the tree's memory is read, cheaply: every tick, each process's resident set
 * ({@code VmRSS}, microseconds to read) less how much of it was shared the last time its
 * proportional set size was read ({@code smaps_rollup}, milliseconds for a large process, so read
 * at most every five seconds and at most half a per cent of a core's time per process). Before the tree is
 * ended at its cap, every process's proportional set size is read afresh, so that the decision
 * counts shared pages exactly once.
 */
public final class MemoryJob {

    private static final double KB_PER_MB = 1024.0;
    /**
     * A process's PSS is read again after this long, or after 200 times what the last read cost
     * (at most half a per cent of a core for each process; 1.6 ms for 100 MB on the build machine).
     */
    private static final long PSS_REFRESH_NANOS = 5_000_000_000L;
    private static final int PSS_COST_FACTOR = 200;

    /** What a job's processes hold, as last read. */
    private static final class Usage {
        final long startTicks;
        String command;
        long parentPid;
        /** Ticks in a row on which its parent was neither the task's nor the supervisor. */
        int detachedTicks;
        long rssKb;
        long sharedKb;
        long pssReadNanos = Long.MIN_VALUE / 2;
        long pssCostNanos;

        Usage(long startTicks) {
            this.startTicks = startTicks;
        }

        long estimateKb() {
            return Math.max(0, rssKb - sharedKb);
        }
    }

    /**
     * How a job ended, as far as memory tells.
     *
     * @param escaped the processes that left the task's tree (setsid and a double fork, re-parented to
     *     init, left behind when their parent ended): pid → command line; every one was ended
     */
    public record End(double residentPeakMb, Enforcement enforcement, MemoryBreach breach, Map<Long, String> escaped) {}

    private final String taskId;
    private final TaskMark mark;
    private final int capMb;
    private final double warnPercent;
    private final int priority;
    private final long sequence;
    private final JobListener listener;
    private final JobLaunch launch;
    private final TaskCgroup cgroup;
    private final MemoryWatch watch;
    private final Map<Long, Usage> usage = new HashMap<>();
    private final Map<Long, String> escaped = new LinkedHashMap<>();
    private volatile long rootPid;
    private volatile JobReading latest;
    private volatile MemoryBreach breach;
    private volatile boolean closed;
    private final long openedNanos;
    /** The highest reading, or -1 while no process of the job has been seen. */
    private double peakMb = -1;
    private boolean warned;
    private long nextReportNanos;

    MemoryJob(MemoryWatch watch, JobSpec spec, long sequence, JobLaunch launch, TaskCgroup cgroup, long nowNanos) {
        this.watch = watch;
        this.taskId = spec.taskId();
        this.mark = TaskMark.ofThisSupervisor(spec.taskId());
        this.capMb = spec.capMb();
        this.warnPercent = spec.warnPercent();
        this.priority = spec.priority();
        this.listener = spec.listener();
        this.sequence = sequence;
        this.launch = launch;
        this.cgroup = cgroup;
        this.nextReportNanos = nowNanos + spec.reportInterval().toNanos();
        this.openedNanos = nowNanos;
    }

    /** What a job is opened with. */
    public record JobSpec(String taskId, int capMb, double warnPercent, int priority, Duration reportInterval,
            JobListener listener) {}

    public String taskId() {
        return taskId;
    }

    public int capMb() {
        return capMb;
    }

    TaskMark mark() {
        return mark;
    }

    int priority() {
        return priority;
    }

    long sequence() {
        return sequence;
    }

    long rootPid() {
        return rootPid;
    }

    long openedNanos() {
        return openedNanos;
    }

    boolean closed() {
        return closed;
    }

    /** Whether the kernel enforces this job's cap (its cgroup), or the watch. */
    public Enforcement enforcement() {
        return cgroup == null ? Enforcement.WATCHED : Enforcement.CGROUP;
    }

    /** How to start the task's first process: its mark, a Node heap limit, its cgroup. */
    public JobLaunch launch() {
        return launch;
    }

    /** The task's first process has started (a worker JVM): it belongs to the job whatever its environment. */
    public void rootStarted(long pid) {
        rootPid = pid;
        watch.wake();
    }

    /** The tree's memory at the last tick, or empty before the first. */
    public Optional<JobReading> latest() {
        return Optional.ofNullable(latest);
    }

    /** What ended the task, if memory did. */
    public Optional<MemoryBreach> breach() {
        return Optional.ofNullable(breach);
    }

    synchronized double peakMb() {
        return peakMb;
    }

    /**
     * One tick of the watch for this job: reads its processes' memory, keeps the peak, warns past the
     * threshold, and ends the tree past its cap. Called on the watch's thread.
     *
     * @return the tree's memory now, in MB
     */
    synchronized double observe(ProcFs proc, List<ProcessCensus.Member> members, long nowNanos, Instant now) {
        if (closed) {
            return 0;
        }
        Map<Long, Usage> current = new HashMap<>();
        for (ProcessCensus.Member member : members) {
            Usage known = usage.get(member.pid());
            Usage process = known != null && known.startTicks == member.startTicks() ? known : new Usage(member.startTicks());
            ProcFs.Resident resident = proc.resident(member.pid());
            if (resident == null) {
                continue;
            }
            process.rssKb = resident.rssKb();
            process.parentPid = resident.parentPid();
            if (process.command == null) {
                process.command = proc.commandLine(member.pid(), 60);
            }
            if (nowNanos - process.pssReadNanos > Math.max(PSS_REFRESH_NANOS, PSS_COST_FACTOR * process.pssCostNanos)) {
                readShared(proc, member.pid(), process, nowNanos);
            }
            current.put(member.pid(), process);
        }
        usage.clear();
        usage.putAll(current);
        noteEscapes();
        double residentMb = cgroup != null ? cgroup.currentMb() : totalMb();
        if (cgroup == null && breach == null && residentMb >= capMb) {
            // Past the cap by the estimate: count shared pages exactly before ending anything.
            usage.forEach((pid, process) -> readShared(proc, pid, process, System.nanoTime()));
            residentMb = totalMb();
        }
        if (!usage.isEmpty()) {
            peakMb = Math.max(peakMb, residentMb);
        }
        if (cgroup != null) {
            peakMb = Math.max(peakMb, cgroup.peakMb());
        }
        JobReading reading = new JobReading(now, residentMb, usage.size(), largest());
        latest = reading;
        if (breach == null) {
            checkCap(reading);
        }
        double percent = 100.0 * residentMb / capMb;
        if (percent > warnPercent && !warned && breach == null) {
            refreshCommands(proc, reading);
            listener.warning(latest, warnPercent);
        }
        warned = percent > warnPercent;
        if (nowNanos >= nextReportNanos) {
            nextReportNanos = nowNanos + watch.reportIntervalNanos();
            refreshCommands(proc, reading);
            listener.sample(latest);
        }
        return residentMb;
    }

    /**
     * Notes the processes that have left the task's tree: whose parent, on two looks in a row, is
     * neither a process of the task nor the supervisor (an in-process command's parent), and which
     * are not the task's root. (Two looks: a child whose parent is being ended with it is orphaned
     * for the moment it takes the kernel to end it too; that is no escape.) Not once memory has
     * ended the tree.
     */
    private void noteEscapes() {
        if (breach != null) {
            return;
        }
        long self = ProcessHandle.current().pid();
        usage.forEach((pid, process) -> {
            boolean detached = pid != rootPid && process.parentPid != self && !usage.containsKey(process.parentPid);
            process.detachedTicks = detached ? process.detachedTicks + 1 : 0;
            if (process.detachedTicks >= 2) {
                escaped.putIfAbsent(pid, process.command);
            }
        });
    }

    private void checkCap(JobReading reading) {
        if (cgroup != null && cgroup.oomKills() > 0) {
            breached(new MemoryBreach(MemoryBreach.Cause.KERNEL, Math.max(reading.residentMb(), peakMb), capMb,
                    reading.largest(), -1, 0));
        } else if (cgroup == null && reading.residentMb() >= capMb) {
            breached(new MemoryBreach(MemoryBreach.Cause.CAP, reading.residentMb(), capMb, reading.largest(), -1, 0));
        }
    }

    /** Ends the tree because of the host's floor. */
    synchronized void endForHost(long availableMb, int floorMb) {
        JobReading reading = latest;
        breached(new MemoryBreach(MemoryBreach.Cause.HOST_LOW, reading == null ? 0 : reading.residentMb(), capMb,
                reading == null ? List.of() : reading.largest(), availableMb, floorMb));
    }

    /** Kills every process of the job at once (memory does not wait for a grace period), then says why. */
    private void breached(MemoryBreach why) {
        breach = why;
        killAll();
        listener.breached(why);
    }

    private void killAll() {
        if (cgroup != null) {
            cgroup.kill();
        }
        for (Long pid : usage.keySet()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        long root = rootPid;
        if (root > 0) {
            ProcessHandle.of(root).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Whether processes of the job are still there after it was ended for the host (the floor waits for them). */
    synchronized boolean hasProcesses() {
        return !usage.isEmpty();
    }

    private static void readShared(ProcFs proc, long pid, Usage process, long nowNanos) {
        long start = System.nanoTime();
        long pss = proc.proportionalKb(pid);
        long end = System.nanoTime();
        if (pss >= 0) {
            process.sharedKb = Math.max(0, process.rssKb - pss);
        }
        process.pssReadNanos = nowNanos;
        process.pssCostNanos = end - start;
    }

    private double totalMb() {
        long kb = 0;
        for (Usage process : usage.values()) {
            kb += process.estimateKb();
        }
        return kb / KB_PER_MB;
    }

    private List<ProcessUse> largest() {
        List<ProcessUse> all = new ArrayList<>();
        usage.forEach((pid, process) -> all.add(new ProcessUse(pid, process.command, process.estimateKb() / KB_PER_MB)));
        all.sort(Comparator.comparingDouble(ProcessUse::mb).reversed());
        return all.subList(0, Math.min(JobReading.LARGEST, all.size()));
    }

    /** A process may have exec'd since it was first seen (a launcher becoming the real program): name it anew. */
    private void refreshCommands(ProcFs proc, JobReading reading) {
        for (ProcessUse process : reading.largest()) {
            Usage known = usage.get(process.pid());
            if (known != null) {
                known.command = proc.commandLine(process.pid(), 60);
            }
        }
        latest = new JobReading(reading.at(), reading.residentMb(), reading.processes(), largest());
    }

    /**
     * Ends the job: stops watching it, ends every process that is still there (those that escaped
     * the task's own tree: detached, re-parented, left behind), removes its cgroup, and says how it
     * went. Call it after the task's own process tree has been ended.
     */
    public End close() {
        List<Long> known;
        Map<Long, String> left;
        synchronized (this) {
            closed = true;
            known = new ArrayList<>(usage.keySet());
            left = new LinkedHashMap<>(escaped);
        }
        watch.remove(this);
        ProcFs proc = ProcFs.system();
        List<Long> marked = mark.processes(proc);
        if (!marked.isEmpty() || known.stream().anyMatch(proc::alive)) {
            // The task's own tree was just ended: what is still on its way out is given a moment, so that it
            // is not taken for a process that escaped.
            List<Long> ending = new ArrayList<>(known);
            ending.addAll(marked);
            proc.awaitGone(ending, SETTLE);
            mark.endAll(proc, ESCAPE_GRACE).forEach(left::putIfAbsent);
        }
        List<ProcessHandle> unmarked = new ArrayList<>();
        for (long pid : known) {
            if (proc.alive(pid)) {
                ProcessHandle.of(pid).ifPresent(handle -> {
                    unmarked.add(handle);
                    left.putIfAbsent(pid, proc.commandLine(pid, 80));
                });
            }
        }
        ProcessTree.stopAll(unmarked, ESCAPE_GRACE);
        if (cgroup != null) {
            cgroup.endAll().forEach(pid -> left.putIfAbsent(pid, proc.commandLine(pid, 80)));
            cgroup.remove();
        }
        return new End(peakMb(), enforcement(), breach, left);
    }

    /** How long a process left behind gets to end politely before it is killed. */
    static final Duration ESCAPE_GRACE = Duration.ofSeconds(1);
    /** How long the processes of a tree that was just ended get to be gone before what is left counts as escaped. */
    static final Duration SETTLE = Duration.ofMillis(300);
}
