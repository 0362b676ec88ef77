package dev.mayfly.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The supervisor's own memory over many worker tasks: a whole {@code mayfly batch} process, started
 * by the {@code mayfly} launcher with the JVM options it gives a supervisor, runs {@code --tasks}
 * empty Java tasks in worker JVMs, {@code --workers} at a time. Its resident memory (RSS, from
 * {@code /proc}) is read every second, and every {@code --every} tasks its heap after its last full
 * collection, from its GC log. (Not from {@code jcmd}: attaching left a thread and its classes in the
 * supervisor, 0.4-0.7 MB of the RSS measured, and its forced collections shrank the heap the RSS was
 * read from.) At the end: the highest RSS, and its
 * trend over the second half (a least-squares line through the readings, in MB per 1,000 tasks), so
 * that growth shows apart from noise; and the CPU a task cost the supervisor and its worker (the
 * supervisor's own CPU time, and that of its ended children, from {@code /proc}). {@code --java-opts "…"} adds JVM options to the supervisor's
 * (through {@code MAYFLY_JAVA_OPTS}), to compare others with the launcher's. Run by
 * {@code scripts/bench soak}; docs/benchmarks.md has the results.
 */
public final class SupervisorSoakBenchmark {

    /** A collection's line in the GC log ({@code -Xlog:gc,gc+heap}): its number, and a generation's size after it. */
    private static final Pattern FULL = Pattern.compile("GC\\((\\d+)\\) Pause Full");
    private static final Pattern GENERATION_AFTER = Pattern.compile("GC\\((\\d+)\\) (DefNew|Tenured): \\d+K\\(\\d+K\\)->(\\d+)K");

    private SupervisorSoakBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(BenchSupport.stringArg(args, "--launcher", "mayfly")).toAbsolutePath();
        int tasks = BenchSupport.intArg(args, "--tasks", 10_000);
        int workers = BenchSupport.intArg(args, "--workers", 4);
        int every = BenchSupport.intArg(args, "--every", Math.max(1, tasks / 10));
        Path folder = BenchSupport.tempHome();
        Path batch = folder.resolve("tasks.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            // Complexity 0.8 with workers on: each task goes to a worker JVM of its own.
            lines.add("{\"prompt\":\"Do nothing " + i + "\",\"agent\":\"java:" + NoopAgent.class.getName()
                    + "\",\"workers\":true,\"complexity\":0.8}");
        }
        Files.write(batch, lines);
        Path out = folder.resolve("out.jsonl");
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "batch", "--json", "--classpath",
                BenchSupport.ownLocation().toString(), batch.toString()).directory(folder.toFile())
                .redirectOutput(out.toFile()).redirectError(folder.resolve("err.txt").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("MAYFLY_") || key.equals("USE_WORKERS"));
        builder.environment().putAll(Map.of("MAYFLY_HOME", folder.resolve("home").toString(),
                "MAYFLY_MAX_WORKERS", Integer.toString(workers), "MAYFLY_HEAP_MB", "64"));
        // Other options to compare with the launcher's, and the GC log the heap is read from.
        Path gcLog = folder.resolve("gc.log");
        String javaOptions = BenchSupport.stringArg(args, "--java-opts", "");
        builder.environment().put("MAYFLY_JAVA_OPTS", (javaOptions + " -Xlog:gc,gc+heap:file=" + gcLog).trim());
        System.out.printf(Locale.ROOT, "%d empty worker tasks, %d at a time, one mayfly batch process%n", tasks, workers);
        double floor = floor(BenchSupport.intArg(args, "--floor", 300), workers);
        long start = System.nanoTime();
        Process supervisor = builder.start();
        List<double[]> readings = new ArrayList<>(); // {tasks done, RSS MB}
        double highest = 0;
        int highestAt = 0; // tasks done when the highest RSS was read
        long[] cpu = {0, 0}; // the supervisor's own CPU, and its ended children's (the workers), in clock ticks
        int nextReport = 0;
        // The launcher (bash) becomes the supervisor's JVM when it execs java: measured from then on.
        while (supervisor.isAlive() && !supervisor.info().command().orElse("").endsWith("/java")) {
            Thread.sleep(20);
        }
        while (supervisor.isAlive()) {
            int done = endedTasks(out);
            double rss = rssMb(supervisor.pid());
            cpu = cpuTicks(supervisor.pid(), cpu);
            if (rss > 0) {
                readings.add(new double[] {done, rss});
                if (rss > highest) {
                    highest = rss;
                    highestAt = done;
                }
            }
            if (done >= nextReport && rss > 0) {
                System.out.printf(Locale.ROOT, "after %6d tasks (%6.1f s): RSS %6.1f MB, heap after a full collection %5.1f MB%n",
                        done, (System.nanoTime() - start) / 1e9, rss, heapAfterLastFullCollectionMb(gcLog));
                nextReport = done - done % every + every;
            }
            Thread.sleep(1000);
        }
        int exit = supervisor.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        int done = endedTasks(out);
        if (exit != 0 || done != tasks) {
            throw new IllegalStateException("the batch exited " + exit + " after " + done + " of " + tasks + " tasks: "
                    + Files.readString(folder.resolve("err.txt")));
        }
        System.out.printf(Locale.ROOT, "%d tasks in %.1f s (%.1f tasks/s); highest RSS %.1f MB (after %d tasks); RSS trend over "
                + "the second half %+.2f MB per 1,000 tasks%n", tasks, seconds, tasks / seconds, highest, highestAt,
                trendPerThousand(readings, tasks));
        // Ticks are hundredths of a second; as last read, a second or less before the end.
        System.out.printf(Locale.ROOT, "CPU per task: the supervisor %.1f ms, its workers %.1f ms%n", cpu[0] * 10.0 / tasks,
                cpu[1] * 10.0 / tasks);
        System.out.printf(Locale.ROOT, "throughput: %.2f x the floor%n", tasks / seconds / floor);
    }

    /**
     * The floor: bare {@code java Hello} processes (the same JDK, a 64 MB heap), {@code concurrent} at
     * a time, as the batch runs its workers; prints and returns how many a second.
     */
    private static double floor(int starts, int concurrent) throws Exception {
        if (starts <= 0) {
            return Double.NaN;
        }
        List<String> hello = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
                BenchSupport.ownLocation().toString(), Hello.class.getName());
        ExecutorService threads = Executors.newFixedThreadPool(concurrent);
        long start = System.nanoTime();
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < starts; i++) {
                started.add(threads.submit(() -> new ProcessBuilder(hello).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor()));
            }
            for (Future<?> one : started) {
                one.get();
            }
        } finally {
            threads.shutdown();
        }
        double perSecond = starts / ((System.nanoTime() - start) / 1e9);
        System.out.printf(Locale.ROOT, "floor: %d java Hello, %d at a time: %.1f a second%n", starts, concurrent, perSecond);
        return perSecond;
    }

    /** utime+stime and cutime+cstime from /proc/PID/stat; the last ones when the process is gone. */
    private static long[] cpuTicks(long pid, long[] last) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the name: state is field 3, so utime (14) is at index 11 here.
            return new long[] {Long.parseLong(fields[11]) + Long.parseLong(fields[12]),
                Long.parseLong(fields[13]) + Long.parseLong(fields[14])};
        } catch (IOException | RuntimeException e) {
            return last;
        }
    }

    /** The batch prints one JSON line a task as it ends, then a summary. */
    private static int endedTasks(Path out) throws IOException {
        int count = 0;
        for (String line : Files.readAllLines(out)) {
            if (line.contains("\"taskId\"")) {
                count++;
            }
        }
        return count;
    }

    private static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // Gone between the look and the read: the batch ended.
        }
        return -1;
    }

    /**
     * The heap in use just after the supervisor's last full collection, from its GC log: its young and
     * old generations' sizes after it (the serial collector's). NaN before the first.
     */
    static double heapAfterLastFullCollectionMb(Path gcLog) throws IOException {
        if (!Files.exists(gcLog)) {
            return Double.NaN;
        }
        String lastFull = null;
        Map<String, Long> afterKb = new HashMap<>();
        for (String line : Files.readAllLines(gcLog)) {
            Matcher full = FULL.matcher(line);
            if (full.find()) {
                lastFull = full.group(1);
            }
            Matcher generation = GENERATION_AFTER.matcher(line);
            if (generation.find()) {
                afterKb.merge(generation.group(1), Long.parseLong(generation.group(3)), Long::sum);
            }
        }
        return lastFull == null || !afterKb.containsKey(lastFull) ? Double.NaN : afterKb.get(lastFull) / 1024.0;
    }

    /** The slope of a least-squares line through the readings of the second half, in MB per 1,000 tasks. */
    private static double trendPerThousand(List<double[]> readings, int tasks) {
        List<double[]> late = readings.stream().filter(reading -> reading[0] >= tasks / 2.0).toList();
        double n = late.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] reading : late) {
            sx += reading[0];
            sy += reading[1];
            sxx += reading[0] * reading[0];
            sxy += reading[0] * reading[1];
        }
        double denominator = n * sxx - sx * sx;
        return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator * 1000;
    }
}
