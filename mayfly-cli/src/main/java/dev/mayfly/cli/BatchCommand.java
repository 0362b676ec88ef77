package dev.mayfly.cli;

import dev.mayfly.batch.BatchFile;
import dev.mayfly.batch.BatchProgress;
import dev.mayfly.batch.BatchRunner;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.config.UsageException;
import dev.mayfly.json.Json;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.task.FailureReason;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mayfly batch FILE}: many tasks through one supervisor, with progress and a summary. */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs one task per line of FILE, each a JSON object: prompt (or promptFile, a file "
                + "beside FILE), agent, params, complexity, workers, heapMb, memoryMb, timeout, retries, growMemory, "
                + "priority. At most MAYFLY_MAX_WORKERS run at once, the highest priority first. A line that cannot be run is reported by number and left out (--strict: nothing runs)."})
final class BatchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The batch file (JSON lines).")
    Path file;

    @Option(names = "--json", description = "Print one JSON object per task as it ends (with its line), then a summary object.")
    boolean json;

    @Option(names = "--strict", description = "If any line cannot be run, run nothing and exit 2.")
    boolean strict;

    @Option(names = "--workers", negatable = true, description = "Workers on or off for lines without \"workers\".")
    Boolean workers;

    @Mixin
    LimitOptions limits;

    @Option(names = "--classpath", paramLabel = "PATHS", description = "Where java: agents' classes are.")
    String classpath;

    @Option(names = "--workdir", paramLabel = "DIR", description = "The folder the agents work in (default: the current one).")
    Path workDir;

    @Mixin
    CommonOptions common;

    private final AtomicBoolean summarized = new AtomicBoolean();
    private final AtomicBoolean interrupted = new AtomicBoolean();

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = common.settings(limits.addTo(SettingsReader.Flags.none().workers(workers).classpath(classpath)));
        if (!Files.isRegularFile(file)) {
            throw UsageException.invalid("FILE", String.valueOf(file), "an existing batch file");
        }
        BatchFile.Plan plan = BatchFile.read(file, settings, CommonOptions.workDir(workDir));
        PrintStream err = System.err;
        plan.problems().forEach(problem -> err.println("mayfly: " + file.getFileName() + " " + problem));
        if (strict && !plan.problems().isEmpty()) {
            throw new UsageException(plan.problems().size() + " line(s) of " + file + " cannot be run; nothing was run "
                    + "(--strict)");
        }
        if (plan.entries().isEmpty()) {
            err.println("mayfly: no task to run in " + file);
            return plan.problems().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
        }
        OrchestratorLog log = CommonOptions.log(settings, err, false);
        Orchestrator orchestrator = Orchestrator.start(settings, log, Clock.systemUTC());
        PrintStream out = System.out;
        ProgressDisplay[] display = new ProgressDisplay[1];
        BatchRunner runner = new BatchRunner(orchestrator, settings.maxWorkers(), (entry, result, progress) -> {
            display[0].ended(entry, result, progress);
            if (json) {
                Map<String, Object> object = new LinkedHashMap<>();
                object.put("line", entry.line());
                object.putAll(ResultJson.of(result));
                synchronized (out) {
                    out.println(Json.write(object));
                    out.flush();
                }
            }
        }, Clock.systemUTC());
        display[0] = new ProgressDisplay(err, System.console() != null && !json, runner::progress);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Ctrl-C or SIGTERM: start nothing more, stop the running, and still say what happened.
            interrupted.set(true);
            runner.stop();
            orchestrator.close();
            runner.awaitEnd(5000);
            display[0].stop();
            summarize(out, runner, plan);
        }, "mayfly-cleanup"));
        display[0].start();
        runner.run(plan.entries());
        orchestrator.close();
        display[0].stop();
        summarize(out, runner, plan);
        Optional<String> lost = orchestrator.store().lost();
        if (lost.isPresent()) {
            err.println("mayfly: " + lost.get() + "; " + runner.progress().waiting() + " line(s) of " + file
                    + " were not started");
            return ExitCodes.FAILED;
        }
        return exitCode(runner, plan);
    }

    private int exitCode(BatchRunner runner, BatchFile.Plan plan) {
        BatchProgress progress = runner.progress();
        if (interrupted.get()) {
            return ExitCodes.INTERRUPTED;
        }
        boolean unrecorded = runner.results().stream().anyMatch(result -> result.task().unrecorded() != null);
        return progress.failed() > 0 || !plan.problems().isEmpty() || unrecorded ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /** Prints the summary once, whoever gets here first: the main thread, or the shutdown hook on Ctrl-C. */
    private void summarize(PrintStream out, BatchRunner runner, BatchFile.Plan plan) {
        if (!summarized.compareAndSet(false, true)) {
            return;
        }
        List<BatchRunner.Result> results = runner.results();
        BatchProgress progress = runner.progress();
        Map<String, Integer> byReason = new TreeMap<>();
        for (BatchRunner.Result result : results) {
            FailureReason reason = result.task().outcome().reason();
            if (reason != null) {
                byReason.merge(reason.label(), 1, Integer::sum);
            }
        }
        int completed = results.size() - progress.failed();
        int notStarted = progress.total() - results.size();
        List<String> unrecorded = results.stream().map(result -> result.task().unrecorded()).filter(why -> why != null)
                .toList();
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("tasks", progress.total());
            summary.put("completed", completed);
            summary.put("failed", progress.failed());
            summary.put("failedByReason", byReason);
            summary.put("notStarted", notStarted);
            summary.put("linesLeftOut", plan.problems());
            summary.put("unrecorded", unrecorded);
            summary.put("elapsedMs", progress.elapsed().toMillis());
            out.println(Json.write(Map.of("summary", summary)));
            out.flush();
            return;
        }
        out.printf(Locale.ROOT, "Batch %s: %d tasks in %s (%.0f/min): %d completed, %d failed%s%s%s.%n",
                notStarted > 0 || interrupted.get() ? "interrupted" : "done", progress.total(),
                TaskViews.seconds(progress.elapsed().toMillis()), progress.perMinute(), completed, progress.failed(),
                byReason.isEmpty() ? "" : " " + byReason.toString().replace("{", "(").replace("}", ")").replace("=", " "),
                notStarted == 0 ? "" : ", " + notStarted + " not started",
                plan.problems().isEmpty() ? "" : ", " + plan.problems().size() + " line(s) left out");
        for (BatchRunner.Result result : results) {
            if (result.task().outcome().reason() != null) {
                out.printf(Locale.ROOT, "  line %d  %s  %s: %s%n", result.entry().line(), result.task().taskId(),
                        result.task().outcome().reason().label(), result.task().outcome().error());
            }
        }
        plan.problems().forEach(problem -> out.println("  " + problem + " (left out)"));
        out.flush();
        unrecorded.forEach(why -> System.err.println("mayfly: " + why));
    }
}
