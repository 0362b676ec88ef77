package dev.mayfly.cli;

import dev.mayfly.batch.BatchEntry;
import dev.mayfly.batch.BatchFile;
import dev.mayfly.batch.DurableBatch;
import dev.mayfly.client.MayflyClient;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.errors.UsageException;
import dev.mayfly.task.TaskLimits;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** {@code mayfly batch FILE}: many tasks through one supervisor, stored before the first starts, with progress and a summary. */
final class BatchCommand implements Subcommand {

    Path file;
    boolean json;
    boolean strict;
    Boolean workers;
    final LimitOptions limits = new LimitOptions();
    String classpath;
    Path workDir;
    boolean detach;
    final CommonOptions common = new CommonOptions();
    final ServerOptions server = new ServerOptions();

    @Override
    public CommandSpec spec() {
        CommandSpec spec = new CommandSpec("mayfly batch", this,
                "Runs one task per line of FILE, each a JSON object: prompt (or promptFile, a file beside FILE), agent, "
                        + "params, complexity, workers, heapMb, memoryMb, timeout, retries, growMemory, priority. At most "
                        + "MAYFLY_MAX_WORKERS run at once, the highest priority first. A line that cannot be run is "
                        + "reported by number and left out (--strict: nothing runs).",
                "Every line is stored before the first one starts; 'mayfly resume BATCH_ID' runs again the lines that did "
                        + "not complete.")
                .parameters("FILE", "The batch file (JSON lines).", 1, 1, value -> file = Path.of(value))
                .flag("Print one JSON object per task as it ends (with its line), then a summary object.",
                        () -> json = true, "--json")
                .flag("If any line cannot be run, run nothing and exit 2.", () -> strict = true, "--strict")
                .negatable("--workers", "Workers on or off for lines without \"workers\".", value -> workers = value);
        limits.addTo(spec)
                .value("--classpath", "PATHS", "Where java: agents' classes are.", value -> classpath = value)
                .value("--workdir", "DIR", "The folder the agents work in (default: the current one).",
                        value -> workDir = Path.of(value))
                .flag("With a server: return as soon as the batch is stored, printing its id.", () -> detach = true,
                        "--detach");
        return server.addTo(common.addTo(spec));
    }

    /**
     * The runnable lines as a server is sent them: their own fields (a promptFile read here, since the
     * server may not see this folder), and this command's flags for what a line does not say.
     */
    private Map<Integer, Map<String, Object>> serverLines(BatchFile.Plan plan, Settings settings) {
        Map<String, Object> flags = new LinkedHashMap<>(limits.given(TaskLimits.of(settings)));
        if (workers != null) {
            flags.put("workers", workers);
        }
        Map<Integer, Map<String, Object>> lines = new LinkedHashMap<>();
        for (BatchEntry entry : plan.entries()) {
            Map<String, Object> line = plan.serverFields(entry);
            flags.forEach(line::putIfAbsent);
            lines.put(entry.line(), line);
        }
        return lines;
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = common.settings(limits.addTo(SettingsReader.Flags.none().workers(workers).classpath(classpath)));
        if (!Files.isRegularFile(file)) {
            throw UsageException.invalid("FILE", String.valueOf(file), "an existing batch file");
        }
        Optional<MayflyClient> client = server.client(settings, System.getenv());
        BatchFile.Plan plan = BatchFile.read(file, settings, CommonOptions.workDir(workDir), client.isPresent());
        PrintStream err = System.err;
        plan.problems().forEach(problem -> err.println("mayfly: " + file.getFileName() + " " + problem));
        if (strict && !plan.problems().isEmpty()) {
            throw new UsageException(plan.problems().size() + " line(s) of " + file + " cannot be run; nothing was run "
                    + "(--strict)");
        }
        if (plan.entries().isEmpty() && !plan.problems().isEmpty()) {
            // Nothing runnable at all is bad input, as with --strict: exit 2, and no store is opened.
            throw new UsageException("no line of " + file + " can be run (" + plan.problems().size()
                    + " line(s) left out, named above); nothing was run");
        }
        if (plan.entries().isEmpty()) {
            err.println("mayfly: no task to run in " + file);
            return ExitCodes.OK;
        }
        if (detach && client.isEmpty()) {
            throw new UsageException("--detach leaves the batch to a server, and none runs for " + settings.home()
                    + ": start one with 'mayfly serve', or give --server URL");
        }
        if (client.isPresent()) {
            return new RemoteRun(client.get(), System.out, err).batch(serverLines(plan, settings),
                    CommonOptions.workDir(workDir), plan.problems(), json, detach);
        }
        // The lines are handed over once, and the plan let go: a batch runs for hours, and the plan of
        // 10,000 lines is 1.5 MB of heap; once stored, a line is read back as it starts.
        AtomicReference<List<BatchEntry>> entries = new AtomicReference<>(plan.entries());
        BatchSession session = new BatchSession(settings, common, json, file.toString(), plan.problems());
        plan = null;
        return session.run(orchestrator -> DurableBatch.begin(orchestrator, file, entries.getAndSet(null), common.clock()));
    }
}
