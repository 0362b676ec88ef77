package dev.mayfly.cli;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.agent.ProbeAgent;
import dev.mayfly.config.HomeFolder;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.memory.JobMemory;
import dev.mayfly.memory.MemorySettings;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.routing.Mode;
import dev.mayfly.store.Stores;
import dev.mayfly.store.TaskStore;
import dev.mayfly.supervisor.Supervisor;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code mayfly validate}: the installation check. Checks the feature flag, the task
 * classification, the store, the supervisor's start and cleanup, one real worker round trip and a
 * memory cap ended for real. Its probe tasks run in a throwaway folder, not in the user's store.
 */
final class ValidateCommand implements Subcommand {

    /** The SPEC's cases and two of the seeds' (a short keyword inside a longer word does not count). */
    static final List<ClassificationCase> CASES = List.of(
            new ClassificationCase("Implement authentication feature", 0.7, true),
            new ClassificationCase("Refactor entire codebase", 0.8, true),
            new ClassificationCase("Fix login button bug", 0.3, false),
            new ClassificationCase("Update README documentation", 0.2, false),
            new ClassificationCase("Add code comment", 0.1, false),
            new ClassificationCase("Analyze codebase for patterns", 0.6, true),
            new ClassificationCase("Fix login bug", 0.8, true),
            new ClassificationCase("Migrate to new framework", 0.5, true),
            new ClassificationCase("Check the address field", 0.5, false));

    record ClassificationCase(String prompt, double complexity, boolean longRunning) {}

    /** The heap the default cap is said for (the SPEC's default worker heap). */
    static final int DEFAULT_HEAP_MB = 4096;

    final CommonOptions common = new CommonOptions();

    private final List<String> failures = new ArrayList<>();

    @Override
    public CommandSpec spec() {
        return common.addTo(new CommandSpec("mayfly validate", this, "Checks that Mayfly works on this machine: prints ALL "
                + "VALIDATIONS PASSED and exits 0, or names what failed and exits 1."));
    }

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        Settings settings = common.settings(SettingsReader.Flags.none());
        HomeFolder.checkWritable(settings.home());
        out.println("Mayfly validation (home " + settings.home() + ")");
        check(out, "Feature flag", () -> featureFlag(settings));
        check(out, "Store", () -> store(settings));
        // The probe tasks run in a folder of their own beside the store, removed at the end: a check of
        // the machine is not one of the user's tasks. The round trip needs a worker whatever
        // USE_WORKERS says, with a small heap so it starts anywhere.
        Path probeHome = Files.createTempDirectory(settings.home(), "validation-");
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("USE_WORKERS", "true");
        Settings probes = new SettingsReader(environment, Path.of("").toAbsolutePath()).read(common.flags(
                SettingsReader.Flags.none().workers(true).heapMb("64").timeout("60s")).home(probeHome.toString()));
        OrchestratorLog log = common.log(probes, System.err);
        Orchestrator orchestrator = Orchestrator.start(probes, log, common.clock());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            orchestrator.close();
            deleteTree(probeHome);
        }, "mayfly-cleanup"));
        long[] workerPid = {-1};
        try {
            check(out, "Task classification", () -> classification(orchestrator));
            check(out, "Worker round trip", () -> roundTrip(orchestrator, workerPid));
            check(out, "Memory", () -> memoryCap(orchestrator));
            check(out, "Supervisor", () -> supervisorSingleton(orchestrator));
        } finally {
            orchestrator.close();
        }
        check(out, "Cleanup", () -> cleanup(orchestrator, workerPid[0], probeHome));
        if (failures.isEmpty()) {
            out.println("ALL VALIDATIONS PASSED");
            return ExitCodes.OK;
        }
        out.println("VALIDATION FAILED: " + String.join(", ", failures));
        return ExitCodes.FAILED;
    }

    @FunctionalInterface
    private interface Check {
        /** Returns what was found; throws AssertionError with what is wrong. */
        String run() throws Exception;
    }

    private void check(PrintStream out, String name, Check check) {
        try {
            out.println("✅ " + name + ": " + check.run());
        } catch (Exception | AssertionError e) {
            failures.add(name);
            out.println("❌ " + name + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        out.flush();
    }

    private static String featureFlag(Settings settings) {
        expect(!SettingsReader.parseFeatureFlag("false") && SettingsReader.parseFeatureFlag("TRUE")
                && !SettingsReader.parseFeatureFlag(""), "USE_WORKERS is not read as true/false");
        try {
            SettingsReader.parseFeatureFlag("yes");
            throw new AssertionError("USE_WORKERS=yes was accepted; only true and false are");
        } catch (IllegalArgumentException expected) {
            // As it should be.
        }
        String value = Optional.ofNullable(System.getenv("USE_WORKERS")).orElse("(unset)");
        return "USE_WORKERS=" + value + " → workers " + (settings.useWorkers() ? "on" : "off")
                + "; default off, only true/false accepted";
    }

    private static String classification(Orchestrator orchestrator) {
        int passed = 0;
        List<String> wrong = new ArrayList<>();
        for (ClassificationCase c : CASES) {
            TaskRequest request = TaskRequest.builder(c.prompt(), AgentSpec.builtin(ProbeAgent.NAME))
                    .complexity(c.complexity()).workDir(Path.of("")).limits(TaskLimits.of(64, Duration.ofSeconds(1)))
                    .build();
            boolean longRunning = orchestrator.route(request).classification().longRunning();
            if (longRunning == c.longRunning()) {
                passed++;
            } else {
                wrong.add("\"" + c.prompt() + "\" " + c.complexity() + " should be " + (c.longRunning() ? "long" : "short"));
            }
        }
        expect(wrong.isEmpty(), passed + "/" + CASES.size() + " cases; wrong: " + String.join("; ", wrong));
        return passed + "/" + CASES.size() + " cases";
    }

    /** The user's store opens, is up to date and reads; nothing is added to it. */
    private String store(Settings settings) {
        try (TaskStore store = Stores.open(settings, common.clock())) {
            Optional<String> problem = store.setupProblem();
            expect(problem.isEmpty(), problem.orElse(""));
            store.recentTasks(1);
            return settings.store() + " (" + store.describe() + ")";
        }
    }

    private static String roundTrip(Orchestrator orchestrator, long[] workerPid) {
        TaskRequest request = TaskRequest.builder("Implement the validation round trip",
                AgentSpec.builtin(ProbeAgent.NAME)).complexity(0.8).workDir(Path.of("").toAbsolutePath())
                .limits(TaskLimits.of(64, Duration.ofSeconds(60))).build();
        long start = System.nanoTime();
        TaskResult result = orchestrator.run(request);
        long millis = (System.nanoTime() - start) / 1_000_000;
        expect(result.routing().mode() == Mode.WORKER, "the task was not routed to a worker: " + result.routing().reason());
        expect(result.outcome().state() == TaskState.COMPLETED,
                "task " + result.taskId() + " " + result.outcome().state().label() + ": " + result.outcome().error());
        Long pid = orchestrator.store().findTask(result.taskId()).orElseThrow().pid();
        expect(pid != null && pid != ProcessHandle.current().pid(), "the task did not run in a separate JVM");
        expect(result.outcome().resultJson().contains("\"pid\":" + pid), "the worker's answer did not come back");
        workerPid[0] = pid;
        return "task " + result.taskId() + " in worker pid " + pid + ", " + millis + " ms";
    }

    /** The probe holds more than a small cap allows: the cap must end its whole tree, by the watch or the kernel. */
    private static String memoryCap(Orchestrator orchestrator) {
        JobMemory memory = orchestrator.memory();
        MemorySettings settings = memory.settings();
        int cap = 96;
        int hold = 160;
        expect(memory.admission().grant(cap, true) > 0, "no room for a " + cap + " MB task: "
                + memory.admission().whyWait(cap, true));
        TaskRequest request = TaskRequest.builder("Implement the memory cap check", AgentSpec.builtin(ProbeAgent.NAME))
                .params(Map.of("holdMb", Integer.toString(hold))).complexity(0.8).workDir(Path.of("").toAbsolutePath())
                .limits(new TaskLimits(256, cap, Duration.ofSeconds(60), 0, false, true)).build();
        long start = System.nanoTime();
        TaskResult result = orchestrator.run(request);
        long millis = (System.nanoTime() - start) / 1_000_000;
        expect(result.outcome().reason() == FailureReason.OUT_OF_MEMORY, "a worker holding " + hold + " MB under a " + cap
                + " MB cap ended " + result.outcome().state().label() + " (" + result.outcome().error() + ")");
        return String.format(Locale.ROOT, "caps %s; a worker holding %d MB was ended at its %d MB cap (peak %.0f MB) in "
                + "%d ms; host: %s; reserve %d MB, floor %d MB, default cap %d MB", memory.enforcementNote(), hold, cap,
                result.outcome().residentPeakMb(), millis, memory.host().describe(), settings.reserveMb(), settings.floorMb(),
                settings.capFor(DEFAULT_HEAP_MB));
    }

    private static String supervisorSingleton(Orchestrator orchestrator) {
        Supervisor first = orchestrator.supervisor();
        expect(first == orchestrator.supervisor(), "two supervisors in one process");
        return "one instance per process (" + first.id() + "), " + first.stats().spawned() + " worker(s) spawned";
    }

    private static String cleanup(Orchestrator orchestrator, long workerPid, Path probeHome) {
        if (workerPid > 0) {
            expect(ProcessHandle.of(workerPid).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE,
                    "worker pid " + workerPid + " is still alive");
        }
        try {
            orchestrator.supervisor();
            throw new AssertionError("the supervisor still accepts work after cleanup");
        } catch (IllegalStateException expected) {
            // As it should be.
        }
        deleteTree(probeHome);
        expect(!Files.exists(probeHome), "the validation's folder " + probeHome + " could not be removed");
        return "workers stopped, no worker process left, the validation's tasks removed with their folder";
    }

    /** Removes the probes' folder: their store, logs and task folders. What cannot be removed stays, and is reported. */
    private static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // The check that follows says so.
        }
    }

    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }

}
