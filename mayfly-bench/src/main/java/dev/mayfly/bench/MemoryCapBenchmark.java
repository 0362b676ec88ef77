package dev.mayfly.bench;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.process.ProcFs;
import dev.mayfly.store.EventRecord;
import dev.mayfly.support.TestPrograms;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The process tree's cap, measured with real Python programs.
 *
 * <p>Overshoot: a program allocating at 50, 200 and 1,000 MB a second (1 MB steps, each printed
 * with the time) runs under a cap, in-process and in a worker. The watch decides on an exact
 * reading (every process's PSS read afresh), recorded in its {@code memory_exceeded} event; what the
 * program allocated after that reading (its last step less the last one before the decision) is
 * added to it: that is the tree's true peak, and less the cap, the overshoot. On the same scale,
 * the step at which the tree reached the cap gives the time from crossing the cap to the watch's
 * decision; a 1 ms poll of /proc beside the run, the time from the decision to the program being
 * gone.
 *
 * <p>The watch's CPU: N programs holding 100 MB each for a while, run as in-process tasks, next to
 * the same N programs started by a plain JVM that only waits for them (the floor); the JVM's own
 * CPU time in both, and the watch thread's.
 *
 * <p>{@code [overshoot|cpu]} (default both), {@code --runs N} (default 5), {@code --cap-mb N} (default 512),
 * {@code --seconds N} (default 20).
 */
public final class MemoryCapBenchmark {

    /** CPU is measured from this far into a run: the programs started, each task's first second of close looks over. */
    private static final long STEADY_AFTER_MS = 5000;

    private MemoryCapBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = BenchSupport.intArg(args, "--runs", 5);
        int capMb = BenchSupport.intArg(args, "--cap-mb", 512);
        int seconds = BenchSupport.intArg(args, "--seconds", 20);
        System.out.printf(Locale.ROOT, "java %s, %d cores, cap %d MB, %d runs each (medians)%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), capMb, runs);
        String part = args.length > 0 && !args[0].startsWith("--") ? args[0] : "all";
        if (!part.equals("cpu")) {
            for (boolean workers : new boolean[] {false, true}) {
                overshoot(workers, runs, capMb);
            }
        }
        if (!part.equals("overshoot")) {
            watchCost(seconds);
        }
    }

    private static void overshoot(boolean workers, int runs, int capMb) throws Exception {
        Path home = BenchSupport.tempHome();
        try (Orchestrator orchestrator = BenchSupport.orchestrator(home, Map.of("USE_WORKERS", Boolean.toString(workers),
                "MAYFLY_MEMORY_MB", Integer.toString(capMb), "MAYFLY_HEAP_MB", "128"))) {
            double[] baselines = new double[runs];
            for (int i = 0; i < runs; i++) {
                baselines[i] = orchestrator.run(request(orchestrator, List.of(0, 100, 0.5), capMb, home)).outcome()
                        .residentPeakMb();
            }
            double baseline = BenchSupport.median(baselines);
            System.out.printf(Locale.ROOT, "%n%s: the program allocating nothing%s peaks at %.1f MB%n",
                    workers ? "in a worker" : "in-process", workers ? ", with its worker JVM," : "", baseline);
            System.out.println("rate MB/s   true peak MB   overshoot MB (%)   watch's peak MB   crossing to decision ms"
                    + "   decision to gone ms");
            for (int rate : new int[] {50, 200, 1000}) {
                double[] peaks = new double[runs];
                double[] seen = new double[runs];
                double[] decided = new double[runs];
                double[] gone = new double[runs];
                for (int i = 0; i < runs; i++) {
                    Run run = allocate(orchestrator, home, capMb, rate);
                    peaks[i] = run.truePeakMb();
                    seen[i] = run.seenPeakMb();
                    decided[i] = run.crossingToDecisionMs();
                    gone[i] = run.decisionToGoneMs();
                }
                double peak = BenchSupport.median(peaks);
                System.out.printf(Locale.ROOT, "%9d   %12.1f   %8.1f (%4.1f %%)   %15.1f   %23.0f   %19.0f%n", rate, peak,
                        peak - capMb, 100 * (peak - capMb) / capMb, BenchSupport.median(seen),
                        BenchSupport.median(decided), BenchSupport.median(gone));
            }
        }
    }

    /** One allocating run to its end at the cap. */
    private record Run(double truePeakMb, double seenPeakMb, double crossingToDecisionMs, double decisionToGoneMs) {}

    private static Run allocate(Orchestrator orchestrator, Path home, int capMb, int rate) throws Exception {
        Path pidFile = Files.createTempFile(home, "allocator", ".pid");
        Files.delete(pidFile);
        CompletableFuture<TaskResult> running = CompletableFuture.supplyAsync(() ->
                orchestrator.run(request(orchestrator, List.of(capMb * 3, rate, 0, pidFile, 1), capMb, home)));
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
            if (running.isDone()) {
                throw new IllegalStateException("the allocator ended before it started: " + running.get().outcome());
            }
            Thread.onSpinWait();
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcFs proc = ProcFs.system();
        while (proc.alive(pid)) {
            Thread.sleep(1);
        }
        long goneAt = System.currentTimeMillis();
        TaskResult result = running.get();
        if (result.outcome().reason() != FailureReason.OUT_OF_MEMORY) {
            throw new IllegalStateException("the allocator was not ended at its cap: " + result.outcome());
        }
        EventRecord exceeded = orchestrator.store().events(result.taskId()).stream()
                .filter(event -> event.type().equals("memory_exceeded")).findFirst().orElseThrow();
        long decidedAt = exceeded.at().toEpochMilli();
        double seenMb = ((Number) exceeded.data().get("residentMb")).doubleValue();
        // The allocator's steps: how much it had allocated, and when.
        List<long[]> steps = new ArrayList<>();
        Path log = orchestrator.store().findTask(result.taskId()).map(task -> Path.of(task.logPath())).orElseThrow();
        for (String line : Files.readAllLines(log)) {
            String[] words = line.split(" ");
            if (words.length == 3 && words[0].equals("allocated")) {
                steps.add(new long[] {Long.parseLong(words[1]), Long.parseLong(words[2])});
            }
        }
        long decidedMb = steps.stream().filter(step -> step[1] <= decidedAt).mapToLong(step -> step[0]).max().orElse(0);
        long lastMb = steps.get(steps.size() - 1)[0];
        // On the watch's own scale (PSS, read afresh for the decision): the tree was seenMb when it had allocated
        // decidedMb, so it reached the cap when it had allocated seenMb - capMb less, and grew lastMb - decidedMb more.
        double crossingMb = decidedMb - (seenMb - capMb);
        long crossedAt = steps.stream().filter(step -> step[0] >= crossingMb).mapToLong(step -> step[1]).min().orElse(decidedAt);
        return new Run(seenMb + (lastMb - decidedMb), result.outcome().residentPeakMb(), decidedAt - crossedAt,
                goneAt - decidedAt);
    }

    private static TaskRequest request(Orchestrator orchestrator, List<Object> args, int capMb, Path home) {
        AgentSpec allocate = TestPrograms.agent(TestPrograms.python("allocate.py", args.toArray()));
        return TaskRequest.builder("Implement an allocation", allocate)
                .complexity(0.8).workDir(home).limits(TaskLimits.of(orchestrator.settings())).build();
    }

    /**
     * The JVM's CPU while N programs hold memory, from 5 s in to their end: plainly started and waited
     * for (the floor), then as Mayfly's in-process tasks.
     */
    private static void watchCost(int seconds) throws Exception {
        System.out.printf(Locale.ROOT, "%nthe watch's CPU: N programs each holding 100 MB for %d s%n", seconds);
        System.out.println("  N   floor: JVM CPU ms/s   Mayfly: JVM CPU ms/s   watch thread ms/s   watch ticks/s   % of a core per task");
        System.out.println("    (the floor starts the same programs with a plain ProcessBuilder and waits for them)");
        for (int count : new int[] {1, 4, 16}) {
            List<String> hold = TestPrograms.python("hold.py", 100, seconds);
            List<Process> plain = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                plain.add(new ProcessBuilder(hold).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start());
            }
            Thread.sleep(STEADY_AFTER_MS);
            long floorCpu = cpuNanos();
            long floorStart = System.nanoTime();
            for (Process process : plain) {
                process.waitFor();
            }
            double floorMsPerS = (cpuNanos() - floorCpu) / 1e6 / ((System.nanoTime() - floorStart) / 1e9);

            Path home = BenchSupport.tempHome();
            try (Orchestrator orchestrator = BenchSupport.orchestrator(home, Map.of("USE_WORKERS", "false",
                    "MAYFLY_MAX_WORKERS", Integer.toString(count)))) {
                long ticks;
                List<CompletableFuture<TaskResult>> tasks = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    TaskRequest request = TaskRequest.builder("Hold memory", TestPrograms.agent(hold)).complexity(0.1)
                            .workDir(home).limits(TaskLimits.of(orchestrator.settings()).withMemoryMb(1024)).build();
                    tasks.add(CompletableFuture.supplyAsync(() -> orchestrator.run(request)));
                }
                // Steady state: from 5 s in (the programs started, each task's first second of close looks over)
                // to the end. The watch thread ends with the last task, taking its counters with it: read them
                // while it runs.
                Thread.sleep(STEADY_AFTER_MS);
                long steadyCpu = cpuNanos();
                long steadyStart = System.nanoTime();
                long watchStart = watchThreadCpuMs();
                ticks = orchestrator.memory().watch().ticks();
                long watchMs = watchStart;
                while (!CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).isDone()) {
                    watchMs = Math.max(watchMs, watchThreadCpuMs());
                    Thread.sleep(200);
                }
                double wall = (System.nanoTime() - steadyStart) / 1e9;
                double jvm = (cpuNanos() - steadyCpu) / 1e6 / wall;
                double watch = (watchMs - watchStart) / wall;
                System.out.printf(Locale.ROOT, "%3d   %19.1f   %20.1f   %17.2f   %13.1f   %20.3f%n", count, floorMsPerS, jvm,
                        watch, (orchestrator.memory().watch().ticks() - ticks) / wall, watch / 10 / count);
            }
        }
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /**
     * The watch thread's CPU time so far, in ms, from /proc/self/task (its name there is cut to 15
     * characters); utime and stime are in clock ticks of 10 ms. 0 when it is not running.
     */
    private static long watchThreadCpuMs() throws IOException {
        try (var threads = Files.list(Path.of("/proc/self/task"))) {
            for (Path thread : threads.toList()) {
                try {
                    if (Files.readString(thread.resolve("comm")).trim().equals("mayfly-memory-w")) {
                        String stat = Files.readString(thread.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
                    }
                } catch (IOException e) {
                    // A thread that ended while the folder was listed.
                }
            }
        }
        return 0;
    }
}
