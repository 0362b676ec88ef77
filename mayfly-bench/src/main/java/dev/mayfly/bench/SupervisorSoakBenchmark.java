package dev.mayfly.bench;

import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The supervisor's own memory after many worker tasks: does it stay small, or does something
 * pile up per task? {@code --tasks N} (default 1000), {@code --workers N} (default 2). Prints the
 * supervisor's heap (after a full collection) and RSS at the start and every 100 tasks.
 */
public final class SupervisorSoakBenchmark {

    private SupervisorSoakBenchmark() {}

    public static void main(String[] args) throws Exception {
        int tasks = BenchSupport.intArg(args, "--tasks", 1000);
        int workers = BenchSupport.intArg(args, "--workers", 2);
        Path home = BenchSupport.tempHome();
        long start = System.nanoTime();
        try (Orchestrator orchestrator = BenchSupport.orchestrator(home, workers)) {
            TaskRequest empty = BenchSupport.emptyTask(0.8, home, 64);
            report(0, start);
            int done = 0;
            while (done < tasks) {
                int batch = Math.min(100, tasks - done);
                List<CompletableFuture<TaskResult>> results = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    results.add(orchestrator.submit(empty));
                }
                for (CompletableFuture<TaskResult> result : results) {
                    if (result.get().outcome().state() != TaskState.COMPLETED) {
                        throw new IllegalStateException("task failed: " + result.get().outcome());
                    }
                }
                done += batch;
                report(done, start);
            }
            System.out.printf(Locale.ROOT, "supervisor counters: %s%n", orchestrator.supervisor().stats());
        }
    }

    private static void report(int done, long startNanos) throws Exception {
        System.gc();
        double heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
        double rssMb = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rssMb = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        System.out.printf(Locale.ROOT, "after %5d worker tasks (%6.1f s): supervisor heap %6.1f MB (after GC), RSS %6.1f MB%n",
                done, (System.nanoTime() - startNanos) / 1e9, heapMb, rssMb);
    }
}
