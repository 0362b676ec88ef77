package dev.mayfly.bench;

import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.routing.Mode;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a worker costs: the time an empty task takes in a worker JVM beyond the same task
 * in-process, next to a bare {@code java} hello-world started the same way, in the same run.
 * Runs alternate (bare, worker, in-process) so that a drift in the machine's load hits all three.
 *
 * <p>{@code --runs N} (default 30), {@code --heap-mb N} (default 256).
 */
public final class WorkerOverheadBenchmark {

    private WorkerOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = BenchSupport.intArg(args, "--runs", 30);
        int heapMb = BenchSupport.intArg(args, "--heap-mb", 256);
        Path home = BenchSupport.tempHome();
        double[] bare = new double[runs];
        double[] worker = new double[runs];
        double[] inProcess = new double[runs];
        try (Orchestrator orchestrator = BenchSupport.orchestrator(home, 1)) {
            TaskRequest inWorker = BenchSupport.emptyTask(0.8, home, heapMb);
            TaskRequest local = BenchSupport.emptyTask(0.1, home, heapMb);
            // Warm-up: the supervisor's own first-use costs (class loading, JIT) are not the worker's.
            for (int i = 0; i < 3; i++) {
                time(orchestrator, inWorker, Mode.WORKER);
                time(orchestrator, local, Mode.IN_PROCESS);
                BenchSupport.bareJavaStart(heapMb);
            }
            for (int i = 0; i < runs; i++) {
                bare[i] = BenchSupport.bareJavaStart(heapMb);
                worker[i] = time(orchestrator, inWorker, Mode.WORKER);
                inProcess[i] = time(orchestrator, local, Mode.IN_PROCESS);
            }
        }
        double bareMedian = BenchSupport.median(bare);
        double workerMedian = BenchSupport.median(worker);
        double inProcessMedian = BenchSupport.median(inProcess);
        double overhead = workerMedian - inProcessMedian;
        System.out.printf(Locale.ROOT, "runs: %d, heap cap %d MB, java %s, %d cores%n", runs, heapMb,
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "bare java hello-world start      median %7.1f ms%n", bareMedian);
        System.out.printf(Locale.ROOT, "empty task in-process            median %7.1f ms%n", inProcessMedian);
        System.out.printf(Locale.ROOT, "empty task in a worker JVM       median %7.1f ms%n", workerMedian);
        System.out.printf(Locale.ROOT, "worker overhead (worker - in-process)   %7.1f ms = %.2f x the bare start%n",
                overhead, overhead / bareMedian);
    }

    private static double time(Orchestrator orchestrator, TaskRequest request, Mode expected) {
        long start = System.nanoTime();
        var result = orchestrator.run(request);
        double millis = (System.nanoTime() - start) / 1e6;
        if (result.outcome().state() != TaskState.COMPLETED || result.routing().mode() != expected) {
            throw new IllegalStateException("benchmark task did not complete as " + expected + ": " + result.outcome());
        }
        return millis;
    }
}
