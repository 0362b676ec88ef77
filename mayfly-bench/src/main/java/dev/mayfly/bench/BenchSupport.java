package dev.mayfly.bench;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.log.LogFormat;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the benchmarks share: a quiet orchestrator on a temporary home, the empty task, medians. */
final class BenchSupport {

    private BenchSupport() {}

    static Orchestrator orchestrator(Path home, int maxWorkers) throws IOException {
        return orchestrator(home, Map.of("USE_WORKERS", "true", "MAYFLY_MAX_WORKERS", Integer.toString(maxWorkers)));
    }

    /** A quiet orchestrator on {@code home} with these environment settings. */
    static Orchestrator orchestrator(Path home, Map<String, String> environment) throws IOException {
        Map<String, String> all = new HashMap<>(environment);
        all.put("MAYFLY_HOME", home.toString());
        Settings settings = new SettingsReader(all, home).read(SettingsReader.Flags.none());
        OrchestratorLog log = new OrchestratorLog(settings.logFile(), new PrintStream(OutputStream.nullOutputStream()),
                LogFormat.TEXT, Clock.systemUTC());
        return Orchestrator.start(settings, log, Clock.systemUTC());
    }

    static Path ownLocation() {
        try {
            return Path.of(NoopAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The empty task; complexity 0.8 routes it to a worker, 0.1 keeps it in-process. */
    static TaskRequest emptyTask(double complexity, Path workDir, int heapMb) {
        return TaskRequest.builder("Do nothing", AgentSpec.java(NoopAgent.class.getName(), List.of(ownLocation())))
                .complexity(complexity).workDir(workDir).limits(TaskLimits.of(heapMb, Duration.ofMinutes(1))).build();
    }

    /** How long a bare {@code java Hello} of this JVM takes, start to exit, in milliseconds: the floor. */
    static double bareJavaStart(int heapMb) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long start = System.nanoTime();
        Process process = new ProcessBuilder(java, "-Xmx" + heapMb + "m", "-Xshare:auto", "-cp", ownLocation().toString(),
                Hello.class.getName()).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("hello-world failed");
        }
        return (System.nanoTime() - start) / 1e6;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * A folder of the benchmark's own, removed when its JVM exits: what a run writes there (a store,
     * task folders, a generated tree of up to 45 MB) is of no use after it.
     */
    static Path tempHome() throws IOException {
        Path home = Files.createTempDirectory("mayfly-bench-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> paths = Files.walk(home)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                System.err.println("could not remove " + home + ": " + e.getMessage());
            }
        }, "mayfly-bench-cleanup"));
        return home;
    }

    static int intArg(String[] args, String name, int defaultValue) {
        return Integer.parseInt(stringArg(args, name, String.valueOf(defaultValue)));
    }

    /**
     * The value after the last {@code name} in {@code args}: the last one wins, since {@code scripts/bench}
     * puts its defaults (this checkout's launcher) before what the user typed.
     */
    static String stringArg(String[] args, String name, String defaultValue) {
        for (int i = args.length - 2; i >= 0; i--) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return defaultValue;
    }
}
