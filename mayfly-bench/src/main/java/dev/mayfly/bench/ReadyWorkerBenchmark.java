package dev.mayfly.bench;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.json.Json;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.routing.Mode;
import dev.mayfly.supervisor.Supervisor;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a ready worker saves: the time from a task's submission to its agent running, and to its
 * result, when a worker JVM was started ahead (MAYFLY_MIN_WORKERS) and when the task starts its own,
 * in alternating rounds of one run; beside them a bare {@code java Hello} start and the seeds'
 * runtime, a Node worker thread per task. Then the throughput of empty tasks, {@code --parallel} at
 * once, for all three.
 *
 * <p>{@code --runs N} (30), {@code --warm-up N} (3 pairs not timed), {@code --heap-mb N} (256), {@code --tasks N} (200), {@code --parallel N}
 * (4), {@code --node PATH} (mayfly-bench/src/main/node/worker-threads.js).
 */
public final class ReadyWorkerBenchmark {

    private static final Duration READY_WAIT = Duration.ofMinutes(1);

    private ReadyWorkerBenchmark() {}

    /** One task's times from its submission, in milliseconds. */
    private record Times(double toAgent, double toResult) {}

    public static void main(String[] args) throws Exception {
        int runs = BenchSupport.intArg(args, "--runs", 30);
        int warmUp = BenchSupport.intArg(args, "--warm-up", 3);
        int heapMb = BenchSupport.intArg(args, "--heap-mb", 256);
        int tasks = BenchSupport.intArg(args, "--tasks", 200);
        int parallel = BenchSupport.intArg(args, "--parallel", 4);
        String node = BenchSupport.stringArg(args, "--node", "mayfly-bench/src/main/node/worker-threads.js");
        Path workDir = Path.of("").toAbsolutePath();
        String slots = Integer.toString(parallel);
        TaskRequest task = TaskRequest.builder("Do nothing", AgentSpec.java(StartTimeAgent.class.getName(),
                List.of(BenchSupport.ownLocation()))).complexity(0.8).workDir(workDir)
                .limits(TaskLimits.of(heapMb, Duration.ofMinutes(1))).build();
        double[] cold = new double[runs];
        double[] ready = new double[runs];
        double[] coldTotal = new double[runs];
        double[] readyTotal = new double[runs];
        double[] bare = new double[runs];
        double coldRate;
        double readyRate;
        long found;
        try (Orchestrator started = BenchSupport.orchestrator(BenchSupport.tempHome(), Map.of("USE_WORKERS", "true",
                        "MAYFLY_MAX_WORKERS", slots, "MAYFLY_HEAP_MB", Integer.toString(heapMb)));
                Orchestrator kept = BenchSupport.orchestrator(BenchSupport.tempHome(), Map.of("USE_WORKERS", "true",
                        "MAYFLY_MAX_WORKERS", slots, "MAYFLY_MIN_WORKERS", "1", "MAYFLY_HEAP_MB", Integer.toString(heapMb)))) {
            Supervisor keeper = kept.supervisor();
            // Pairs not timed first: the supervisor's own first uses (a long-lived server is past them).
            for (int i = 0; i < warmUp; i++) {
                awaitReady(keeper, 1);
                time(started, task);
                time(kept, task);
            }
            for (int i = 0; i < runs; i++) {
                // Each measured task finds its worker ready (the minimum's replacement is started after each).
                awaitReady(keeper, 1);
                boolean coldFirst = i % 2 == 0;
                Times first = time(coldFirst ? started : kept, task);
                // Nothing starts in the background while a task is timed: the minimum's replacement is up first.
                awaitReady(keeper, 1);
                Times second = time(coldFirst ? kept : started, task);
                Times coldTimes = coldFirst ? first : second;
                Times readyTimes = coldFirst ? second : first;
                cold[i] = coldTimes.toAgent();
                coldTotal[i] = coldTimes.toResult();
                ready[i] = readyTimes.toAgent();
                readyTotal[i] = readyTimes.toResult();
                bare[i] = BenchSupport.bareJavaStart(heapMb);
            }
            awaitReady(keeper, 1);
            coldRate = throughput(started, task, tasks);
            readyRate = throughput(kept, task, tasks);
            found = keeper.stats().foundReady();
        }
        Map<String, Object> nodeFigures = nodeWorkerThreads(node, runs, tasks, parallel);
        System.out.printf(Locale.ROOT, "runs: %d after %d not timed, heap cap %d MB, java %s, %d cores%n", runs, warmUp,
                heapMb, Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "bare java Hello start                          median %7.1f ms%n", median(bare));
        System.out.printf(Locale.ROOT, "submission -> agent running, worker started    median %7.1f ms (to result %.1f)%n",
                median(cold), median(coldTotal));
        System.out.printf(Locale.ROOT, "submission -> agent running, worker ready      median %7.1f ms (to result %.1f)%n",
                median(ready), median(readyTotal));
        System.out.printf(Locale.ROOT, "Node %s worker thread -> its first line        median %7.1f ms (to exit %.1f)%n",
                nodeFigures.get("node"), number(nodeFigures, "medianStartMs"), number(nodeFigures, "medianTotalMs"));
        System.out.printf(Locale.ROOT, "%d empty tasks, %d at once: worker started %.1f/s, worker ready %.1f/s "
                + "(%d found one ready), Node worker threads %.1f/s%n", tasks, parallel, coldRate, readyRate, found,
                number(nodeFigures, "tasksPerSecond"));
    }

    private static Times time(Orchestrator orchestrator, TaskRequest task) {
        Instant submitted = Instant.now();
        TaskResult result = orchestrator.run(task);
        Instant ended = Instant.now();
        if (result.outcome().state() != TaskState.COMPLETED || result.routing().mode() != Mode.WORKER) {
            throw new IllegalStateException("benchmark task did not complete in a worker: " + result.outcome());
        }
        long startedMicros = ((Number) ((Map<?, ?>) Json.readOrText(result.outcome().resultJson()))
                .get(StartTimeAgent.FIELD)).longValue();
        long submittedMicros = StartTimeAgent.micros(submitted);
        return new Times((startedMicros - submittedMicros) / 1000.0, (StartTimeAgent.micros(ended) - submittedMicros) / 1000.0);
    }

    private static double throughput(Orchestrator orchestrator, TaskRequest task, int tasks) throws Exception {
        long begin = System.nanoTime();
        List<CompletableFuture<TaskResult>> submitted = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            submitted.add(orchestrator.submit(task));
        }
        for (CompletableFuture<TaskResult> result : submitted) {
            if (result.get().outcome().state() != TaskState.COMPLETED) {
                throw new IllegalStateException("a throughput task failed: " + result.get().outcome());
            }
        }
        return tasks / ((System.nanoTime() - begin) / 1e9);
    }

    private static void awaitReady(Supervisor supervisor, int count) throws InterruptedException {
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        while (supervisor.stats().ready() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no ready worker within " + READY_WAIT);
            }
            Thread.sleep(5);
        }
    }

    private static Map<String, Object> nodeWorkerThreads(String script, int runs, int tasks, int parallel)
            throws Exception {
        Process process = new ProcessBuilder("node", script, Integer.toString(runs), Integer.toString(tasks),
                Integer.toString(parallel)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the Node script failed: " + line);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> figures = (Map<String, Object>) Json.readOrText(line);
        return figures;
    }

    private static double number(Map<String, Object> figures, String name) {
        return ((Number) figures.get(name)).doubleValue();
    }

    private static double median(double[] values) {
        return BenchSupport.median(values);
    }
}
