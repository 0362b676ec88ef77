package dev.mayfly.supervisor;

import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.memory.MemoryAdmission;
import dev.mayfly.process.JobLaunch;
import dev.mayfly.process.ProcessTree;
import dev.mayfly.process.TaskMark;
import dev.mayfly.worker.Channel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Worker JVMs started before their tasks, so that a task finds one connected and waiting: it is
 * sent its task at once instead of waiting for a JVM to start. Each still runs one task and exits,
 * so every task gets a fresh heap. How many are kept is {@link StandbyDemand}'s to say; every change
 * is logged with its reason.
 *
 * <p>A ready worker fits a task when it was started with the task's heap cap, in the task's working
 * folder (a JVM's own, fixed at its start), and the task's memory is watched rather than held by a
 * cgroup: a cgroup must hold a task's tree from its first process on, since the memory a process
 * took before it moved stays counted where it was. What the task's processes must carry (its mark,
 * a Node heap limit) comes with the task, and the worker gives it to every program the agent
 * starts. What its JVM writes (the production profile's heap dump and GC log) goes to a folder of
 * its own under {@code $MAYFLY_HOME/workers/}, named after this supervisor's pid, and into the
 * task's folder once it is done.
 *
 * <p>Ready workers are started one at a time on a thread of their own, {@code mayfly-standby}, and
 * never while the host's available memory is below the reserve.
 */
final class StandbyWorkers implements AutoCloseable {

    /** What a task needs of a worker JVM started before it: its heap cap and its working folder. */
    record Shape(int heapMb, Path workDir) {}

    /** The memory a ready worker's start needs beyond the reserve: about 40 MB for a JVM before its task. */
    static final int STANDBY_MB = 64;
    /** How often the pool looks whether the demand it follows has faded, while it has one to fade. */
    static final Duration FADE_LOOK = Duration.ofSeconds(1);
    /** After a ready worker failed to start, no other is started for this long (a broken JDK, a full disk). */
    static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(10);

    private final WorkerLauncher launcher;
    private final Duration connectTimeout;
    private final StandbyDemand demand;
    private final MemoryAdmission admission;
    private final OrchestratorLog log;
    private final Clock clock;
    private final SupervisorCounters counters;
    private final IntSupplier held;
    private final Supplier<String> newWorkerId;
    private final ScheduledExecutorService timers;
    private final boolean possible;
    private final Path folders;

    private final Object lock = new Object();
    private final Deque<StandbyWorker> ready = new ArrayDeque<>();
    /** JVMs being started, not yet connected: ended at once when the supervisor closes. */
    private final Set<Process> launching = new HashSet<>();
    /** Of those, the ones ended because they were no longer wanted: the pool's limit holds while they start. */
    private final Set<Process> dropped = new HashSet<>();
    private int starting;
    /** Tasks that have their worker JVM: a ready one they took, or one they are starting or ran. */
    private int busy;
    /**
     * Of those starting, how many are no longer wanted and end as soon as they connect: a ready worker
     * is not given up for one that is still starting.
     */
    private int unwanted;
    /** The shape new ready workers get: the last task's. */
    private Shape shape;
    /** The pool's size the last event said. */
    private int announced;
    private Instant pausedUntil = Instant.MIN;
    private boolean closed;
    private ExecutorService starter;
    private ScheduledFuture<?> fading;

    /** @param held how many tasks the supervisor has now: running, waiting for a slot, or to retry */
    StandbyWorkers(SupervisorConfig config, SupervisorCounters counters, IntSupplier held,
            Supplier<String> newWorkerId, ScheduledExecutorService timers, OrchestratorLog log, Clock clock) {
        this.launcher = config.launcher();
        this.connectTimeout = config.connectTimeout();
        this.demand = new StandbyDemand(config.standby().minWorkers(), config.maxWorkers(), config.standby().idle());
        this.admission = config.memory().admission();
        this.shape = new Shape(config.standby().heapMb(), config.standby().workDir());
        this.counters = counters;
        this.held = held;
        this.newWorkerId = newWorkerId;
        this.timers = timers;
        this.log = log;
        this.clock = clock;
        this.possible = demand.any();
        this.folders = config.standby().folders();
        if (possible) {
            sweepFolders();
        }
    }

    /** A ready worker's own folder: this supervisor's pid first, so that another's can tell it apart. */
    private Path folderOf(String workerId) {
        return folders.resolve(ProcessHandle.current().pid() + "-" + workerId);
    }

    /** Removes the folders of ready workers whose supervisor is gone (it died before it could). */
    private void sweepFolders() {
        try (DirectoryStream<Path> left = Files.newDirectoryStream(folders)) {
            for (Path folder : left) {
                String name = folder.getFileName().toString();
                int dash = name.indexOf('-');
                boolean gone = dash > 0 && name.substring(0, dash).matches("\\d{1,18}")
                        && ProcessHandle.of(Long.parseLong(name.substring(0, dash))).filter(ProcessHandle::isAlive).isEmpty();
                if (gone) {
                    StandbyWorker.empty(folder, null);
                }
            }
        } catch (NoSuchFileException e) {
            // No ready worker was ever started here.
        } catch (IOException e) {
            log.warn(OrchestratorLog.SUPERVISOR, "Could not look through " + folders + " for ready workers' folders left "
                    + "behind: " + e.getMessage());
        }
    }

    /** Workers connected and waiting for a task now. */
    int ready() {
        synchronized (lock) {
            return ready.size();
        }
    }

    /** A task arrived, and is held with the others (running or waiting). */
    void arrived(Shape wanted) {
        if (!possible) {
            return;
        }
        synchronized (lock) {
            shape = wanted;
        }
        demand.arrived(held.getAsInt(), clock.instant());
        adjust();
    }

    /**
     * A ready worker that fits the task, taken out of the pool; null when there is none and the task
     * starts its own.
     *
     * @param launch how the task's processes are started: a cgroup's prefix means only a fresh JVM fits
     */
    StandbyWorker take(Shape wanted, JobLaunch launch) {
        StandbyWorker found = null;
        synchronized (lock) {
            busy++;
        }
        if (possible && launch.commandPrefix().isEmpty()) {
            synchronized (lock) {
                for (Iterator<StandbyWorker> it = ready.iterator(); it.hasNext() && found == null; ) {
                    StandbyWorker candidate = it.next();
                    if (candidate.shape().equals(wanted) && candidate.alive()) {
                        it.remove();
                        found = candidate;
                    }
                }
            }
        }
        counters.assigned(found != null);
        // A task starting its own JVM in a full pool: a ready one that does not fit goes first, before it starts.
        adjust(found == null);
        return found;
    }

    /** A task that {@link #take took} its worker is done with it: the JVM is gone. */
    void released() {
        synchronized (lock) {
            busy--;
        }
        adjust();
    }

    /**
     * Brings the ready workers to what the demand says now: called when a task arrives, starts or
     * ends, when a ready worker connects or dies, and when the demand fades.
     */
    void adjust() {
        adjust(false);
    }

    /** @param retireHere whether surplus workers are ended before this returns, rather than on the starting thread */
    private void adjust(boolean retireHere) {
        if (!possible) {
            return;
        }
        Instant now = clock.instant();
        List<StandbyWorker> surplus = new ArrayList<>();
        List<Process> cut = new ArrayList<>();
        StandbyDemand.Target target;
        int from;
        int toStart;
        synchronized (lock) {
            if (closed) {
                return;
            }
            target = demand.target(busy, held.getAsInt(), now);
            ready.removeIf(worker -> !worker.alive());
            int coming = starting - unwanted;
            int excess = ready.size() + coming - target.most();
            if (excess > 0) {
                int dropped = Math.min(excess, coming);
                unwanted += dropped;
                coming -= dropped;
                cut = cutShort(dropped);
                // Those that fit no task now go first, then the oldest.
                List<StandbyWorker> order = new ArrayList<>(ready);
                order.sort(Comparator.comparing((StandbyWorker worker) -> worker.shape().equals(shape)));
                for (int i = 0; i < excess - dropped; i++) {
                    ready.remove(order.get(i));
                    surplus.add(order.get(i));
                }
            }
            int wanted = now.isBefore(pausedUntil) ? 0 : Math.max(0, target.ready() - ready.size() - coming);
            int revived = Math.min(wanted, unwanted);
            unwanted -= revived;
            toStart = wanted - revived;
            starting += toStart;
            from = announced;
            announced = target.pool();
            lookForFading(demand.fades(now));
        }
        if (from != target.pool()) {
            log.info(OrchestratorLog.SUPERVISOR, "Worker pool: " + target.pool() + " JVM(s) (was " + from + "), "
                    + target.ready() + " of them ready for a task: " + target.why(), "event", "pool_resized",
                    "pool", target.pool(), "was", from, "ready", target.ready(), "reason", target.why());
        }
        cut.forEach(Process::destroyForcibly);
        for (StandbyWorker worker : surplus) {
            if (retireHere || !onStarter(() -> retire(worker))) {
                retire(worker);
            }
        }
        for (int i = 0; i < toStart; i++) {
            // Refused only once the pool is closed, which ends whatever is left.
            onStarter(this::startOne);
        }
    }

    /**
     * Up to {@code count} JVMs being started that are no longer wanted, to be ended now rather than
     * once they connect (the one thread starts one at a time). Called holding the lock.
     */
    private List<Process> cutShort(int count) {
        List<Process> cut = new ArrayList<>();
        for (Process process : launching) {
            if (cut.size() < count && dropped.add(process)) {
                cut.add(process);
            }
        }
        return cut;
    }

    /** Runs the job on the starting thread; false when the pool has closed and it refuses. */
    private boolean onStarter(Runnable job) {
        try {
            starter().execute(job);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Looks every {@link #FADE_LOOK} while the demand the pool follows has yet to fade, so that it
     * shrinks without a task to wake it; no timer is kept otherwise. (A look on the supervisor's clock
     * rather than one timer for the moment it fades: a test moves that clock.)
     */
    private void lookForFading(boolean fades) {
        if (fades && fading == null) {
            fading = timers.scheduleWithFixedDelay(this::adjust, FADE_LOOK.toMillis(), FADE_LOOK.toMillis(),
                    TimeUnit.MILLISECONDS);
        } else if (!fades && fading != null) {
            fading.cancel(false);
            fading = null;
        }
    }

    private ExecutorService starter() {
        synchronized (lock) {
            if (starter == null) {
                starter = Executors.newSingleThreadExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "mayfly-standby");
                    thread.setDaemon(true);
                    return thread;
                });
            }
            return starter;
        }
    }

    /** Starts one worker JVM and waits for it to connect; then it is ready, unless the pool closed meanwhile. */
    private void startOne() {
        Shape started;
        synchronized (lock) {
            started = shape;
        }
        if (closedOrShort(started)) {
            return;
        }
        String workerId = newWorkerId.get();
        long begin = System.nanoTime();
        Path folder = folderOf(workerId);
        Process process = null;
        StandbyWorker connected = null;
        try (WorkerPort port = new WorkerPort(connectTimeout)) {
            counters.spawned();
            Files.createDirectories(folder);
            process = launcher.start(new WorkerLauncher.Start(started.heapMb(), port.port(), port.secret(), workerId,
                    started.workDir(), folder, new JobLaunch(Map.of(TaskMark.SUPERVISOR_VARIABLE,
                            Long.toString(ProcessHandle.current().pid())), List.of()), true));
            synchronized (lock) {
                launching.add(process);
                if (closed) {
                    process.destroyForcibly();
                }
            }
            process.onExit().thenRun(port::close);
            Channel channel = port.accept(() -> log.warn(OrchestratorLog.SUPERVISOR, "Dropped a connection to ready "
                    + "worker " + workerId + "'s port that did not present its secret"));
            if (channel != null) {
                counters.connected();
                connected = new StandbyWorker(workerId, process, channel, started, folder, clock.instant());
            }
        } catch (IOException | RuntimeException e) {
            log.warn(OrchestratorLog.SUPERVISOR, "Could not start ready worker " + workerId + ": " + e);
        }
        boolean keep;
        boolean expected;
        synchronized (lock) {
            boolean cut = process != null && dropped.remove(process);
            if (process != null) {
                launching.remove(process);
            }
            keep = startEnded() && connected != null && !closed;
            expected = closed || cut;
            if (keep) {
                ready.add(connected);
            } else if (connected == null && !expected) {
                pausedUntil = clock.instant().plus(PAUSE_AFTER_FAILURE);
            }
        }
        if (keep) {
            log.debug(OrchestratorLog.SUPERVISOR, "Ready worker " + workerId + " (pid " + connected.process().pid()
                    + ", heap cap " + started.heapMb() + " MB) connected in " + (System.nanoTime() - begin) / 1_000_000
                    + " ms", "workerId", workerId);
            connected.process().onExit().thenRun(this::adjust);
            adjust();
        } else if (connected != null) {
            retire(connected);
        } else {
            if (process != null) {
                failed(workerId, process, expected);
            }
            StandbyWorker.empty(folder, null);
        }
    }

    /** A start is over, one way or another; whether its worker is still wanted. Called holding the lock. */
    private boolean startEnded() {
        starting--;
        if (unwanted > 0) {
            unwanted--;
            return false;
        }
        return true;
    }

    private boolean closedOrShort(Shape started) {
        synchronized (lock) {
            if (closed) {
                startEnded();
                return true;
            }
        }
        if (admission.grant(STANDBY_MB, true) > 0) {
            return false;
        }
        synchronized (lock) {
            startEnded();
        }
        log.debug(OrchestratorLog.SUPERVISOR, "No ready worker started (heap cap " + started.heapMb() + " MB): the host's "
                + "available memory is within the reserve");
        return true;
    }

    /**
     * A ready worker that did not connect: ended, and unless it was ended on purpose ({@code expected}),
     * what it printed goes to the log (there is no task's log).
     */
    private void failed(String workerId, Process process, boolean expected) {
        new ProcessTree(process.toHandle()).kill();
        int exitCode;
        try {
            exitCode = process.waitFor(2, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exitCode = -1;
        }
        String printed;
        try {
            printed = new String(process.getInputStream().readNBytes(2000), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            printed = "";
        }
        launcher.exited(process);
        if (!expected) {
            log.warn(OrchestratorLog.SUPERVISOR, "Ready worker " + workerId + " did not connect (exit code "
                    + exitCode + (printed.isEmpty() ? "" : ", it printed: " + printed) + "); none is started "
                    + "for " + PAUSE_AFTER_FAILURE.toSeconds() + " s", "workerId", workerId);
        }
    }

    private void retire(StandbyWorker worker) {
        worker.retire(launcher);
        counters.retired();
    }

    /** Ends every ready worker, and those still starting, and waits for them to be gone. */
    @Override
    public void close() {
        List<StandbyWorker> left;
        List<Process> unconnected;
        ExecutorService thread;
        synchronized (lock) {
            closed = true;
            left = new ArrayList<>(ready);
            ready.clear();
            unconnected = new ArrayList<>(launching);
            thread = starter;
            if (fading != null) {
                fading.cancel(false);
            }
        }
        unconnected.forEach(Process::destroyForcibly);
        left.forEach(this::retire);
        if (thread != null) {
            thread.shutdown();
            try {
                thread.awaitTermination(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
