package dev.mayfly.cli;

import dev.mayfly.client.MayflyClient;
import dev.mayfly.config.AgentProviders;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.config.StoreLocation;
import dev.mayfly.config.WholeNumber;
import dev.mayfly.errors.UsageException;
import dev.mayfly.json.Json;
import dev.mayfly.store.Stores;
import dev.mayfly.store.TaskFilter;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import dev.mayfly.task.TaskState;
import dev.mayfly.workflow.Workflow;
import dev.mayfly.workflow.WorkflowCatalog;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mayfly status [TASK_ID]}: recent tasks as a table, or one task in full. Reads only: the
 * home's store, or with {@code --server URL} the API of a server elsewhere, shown the same way.
 */
final class StatusCommand implements Subcommand {

    String taskId;
    String state;
    String since;
    String limit;
    boolean json;
    final ServerOptions server = new ServerOptions();
    final CommonOptions common = new CommonOptions();

    @Override
    public CommandSpec spec() {
        return common.addTo(server.addTo(new CommandSpec("mayfly status", this,
                "Shows recent tasks, or one task: its routing decision, events, memory over time, the end of its log and "
                        + "its result; or one workflow run (run-…): its steps as a tree with their states.",
                "With --server URL (or MAYFLY_SERVER) it shows that server's tasks, through its API, as it shows this "
                        + "home's.")
                .parameters("TASK_ID", "The task to show in full.", 0, 1, value -> taskId = value)
                .value("--state", "STATE", "Only tasks in this state: queued, running, completed, failed or cancelled.",
                        value -> state = value)
                .value("--since", "WHEN", "Only tasks created since then: a duration back from now (30m, 2h, 1d is 24h) "
                        + "or a time such as 2026-11-21T10:00:00Z.", value -> since = value)
                .value("--limit", "N", "At most N tasks (default 20).", value -> limit = value)
                .flag("Print JSON: an array of tasks, or one task with its details.", () -> json = true, "--json")));
    }

    /** The most workflow runs and batches the list shows; {@code mayfly status RUN} shows any one. */
    static final int RUNS_SHOWN = 10;

    @Override
    public Integer call() {
        Settings settings = common.settings(SettingsReader.Flags.none());
        TaskFilter filter = new TaskFilter(state(), since(), limit());
        PrintStream out = System.out;
        Optional<MayflyClient> remote = server.named(settings, System.getenv());
        if (remote.isPresent()) {
            show(out, new StatusSource.OfServer(remote.get()), settings, filter);
            return ExitCodes.OK;
        }
        StoreLocation file = settings.store();
        if (!Stores.exists(file)) {
            if (taskId != null) {
                throw new UsageException("no task '" + taskId + "': there is no store at " + file + " yet");
            }
            out.println(json ? "[]" : "No tasks yet: there is no store at " + file + ".");
            return ExitCodes.OK;
        }
        try (TaskStore store = Stores.openToRead(settings, common.clock())) {
            show(out, new StatusSource.OfStore(store, file.toString(), common.clock()), settings, filter);
        }
        return ExitCodes.OK;
    }

    private void show(PrintStream out, StatusSource source, Settings settings, TaskFilter filter) {
        if (taskId == null) {
            list(out, source, filter);
        } else if (taskId.startsWith("run-")) {
            runDetail(out, source.run(taskId), settings);
        } else {
            StatusSource.Detail detail = source.task(taskId, AgentProviders.forClasspath(settings.agentClasspath()));
            out.println(json ? Json.writePretty(detail.json()) : TaskDetail.render(detail.facts(), common.clock()));
        }
    }

    private TaskState state() {
        return state == null ? null : TaskFilter.state("--state", state);
    }

    private Instant since() {
        return since == null ? null : TaskFilter.since("--since", since, common.clock().instant());
    }

    private int limit() {
        return limit == null ? 20 : WholeNumber.parse("--limit", limit, 1, 100_000);
    }

    private void list(PrintStream out, StatusSource source, TaskFilter filter) {
        List<StatusSource.Listed> tasks = source.tasks(filter);
        if (json) {
            out.println(Json.writePretty(tasks.stream().map(StatusSource.Listed::json).toList()));
            return;
        }
        if (tasks.isEmpty()) {
            out.println("No tasks" + (filter.state() != null || filter.since() != null ? " match." : " yet."));
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATE", "REASON", "MODE", "AGENT", "ELAPSED", "PEAK MEM", "CAP", "PROMPT"});
        for (StatusSource.Listed listed : tasks) {
            TaskRecord task = listed.task();
            rows.add(new String[] {task.id(), listed.stateShown(), task.reason() == null ? "-" : task.reason().label(),
                task.mode().label(), TaskViews.promptStart(task.agent(), 24), TaskViews.elapsed(task, common.clock()),
                MemoryFigures.cell(task), task.memoryCapMb() == null ? "-" : task.memoryCapMb() + " MB",
                TaskViews.promptStart(task.prompt(), 48)});
        }
        out.print(Table.render(rows));
        if (filter.state() == null) {
            listRuns(out, source.runs(RUNS_SHOWN, filter.since()));
            listBatches(out, source.batches(RUNS_SHOWN, filter.since()));
        }
    }

    /** A workflow run: its steps as a tree of their needs, with their states and tasks. */
    private void runDetail(PrintStream out, StatusSource.Run run, Settings settings) {
        if (json) {
            out.println(Json.writePretty(run.json()));
            return;
        }
        Workflow workflow = new WorkflowCatalog(settings).loadText(run.run().source(), run.run().definition());
        String shown = run.stateShown();
        if (!shown.equals(run.run().state().label())) {
            shown += "; 'mayfly resume " + run.run().id() + "' continues it";
        }
        out.print(WorkflowRuns.tree(run.run(), workflow, run.steps(), shown));
    }

    /** The recent batches, newest first, below the tasks: how many of their lines completed. */
    private static void listBatches(PrintStream out, List<Map<String, Object>> batches) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"BATCH", "STATE", "LINES DONE", "CREATED", "FILE"});
        for (Map<String, Object> batch : batches) {
            rows.add(new String[] {(String) batch.get("batchId"), (String) batch.get("stateShown"),
                batch.get("linesCompleted") + "/" + batch.get("lines"), seconds(batch.get("createdAt")),
                (String) batch.get("source")});
        }
        if (rows.size() > 1) {
            out.println();
            out.println("Batches ('mayfly resume BATCH' runs again the lines that did not complete):");
            out.print(Table.render(rows));
        }
    }

    /** The workflow runs among the listed tasks' time, newest first, below the tasks. */
    private static void listRuns(PrintStream out, List<Map<String, Object>> runs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RUN", "STATE", "WORKFLOW", "STEPS DONE", "CREATED", "PROMPT"});
        for (Map<String, Object> run : runs) {
            rows.add(new String[] {(String) run.get("runId"), (String) run.get("stateShown"), (String) run.get("workflow"),
                run.get("stepsCompleted") + "/" + run.get("steps"), seconds(run.get("createdAt")),
                TaskViews.promptStart((String) run.get("prompt"), 40)});
        }
        if (rows.size() > 1) {
            out.println();
            out.println("Workflow runs ('mayfly status RUN' shows one's steps):");
            out.print(Table.render(rows));
        }
    }

    /** A time as the lists show it, to the second. */
    private static String seconds(Object time) {
        return Instant.parse((String) time).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
