package dev.mayfly.cli;

import dev.mayfly.config.AgentProviders;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.config.StoreLocation;
import dev.mayfly.config.WholeNumber;
import dev.mayfly.errors.UsageException;
import dev.mayfly.json.Json;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.store.BatchRecord;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.RecordJson;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.RunStepRecord;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mayfly status [TASK_ID]}: recent tasks as a table, or one task in full. Reads only. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Shows recent tasks, or one task: its routing decision, events, memory over time, the end of its "
                + "log and its result; or one workflow run (run-…): its steps as a tree with their states."})
final class StatusCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TASK_ID", arity = "0..1", description = "The task to show in full.")
    String taskId;

    @Option(names = "--state", paramLabel = "STATE", description = "Only tasks in this state: queued, running, completed, "
            + "failed or cancelled.")
    String state;

    @Option(names = "--since", paramLabel = "WHEN", description = "Only tasks created since then: a duration back from now "
            + "(30m, 2h, 1d is 24h) or a time such as 2026-11-21T10:00:00Z.")
    String since;

    @Option(names = "--limit", paramLabel = "N", description = "At most N tasks (default 20).")
    String limit;

    @Option(names = "--json", description = "Print JSON: an array of tasks, or one task with its details.")
    boolean json;

    @Mixin
    CommonOptions common;

    /** The most workflow runs the list shows; {@code mayfly status RUN} shows any one. */
    private static final int RUNS_SHOWN = 10;



    @Override
    public Integer call() {
        Settings settings = common.settings(SettingsReader.Flags.none());
        TaskFilter filter = new TaskFilter(state(), since(), limit());
        PrintStream out = System.out;
        StoreLocation file = settings.store();
        if (!Stores.exists(file)) {
            if (taskId != null) {
                throw new UsageException("no task '" + taskId + "': there is no store at " + file + " yet");
            }
            out.println(json ? "[]" : "No tasks yet: there is no store at " + file + ".");
            return ExitCodes.OK;
        }
        try (TaskStore store = Stores.openToRead(settings.store(), common.clock())) {
            if (taskId == null) {
                list(out, store, filter);
            } else if (taskId.startsWith("run-")) {
                runDetail(out, store, settings);
            } else {
                TaskRecord task = store.findTask(taskId).orElseThrow(() ->
                        new UsageException("no task '" + taskId + "' in " + file + "; 'mayfly status' lists the recent ones"));
                detail(out, store, task, AgentProviders.forClasspath(settings.agentClasspath()));
            }
        }
        return ExitCodes.OK;
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

    private void list(PrintStream out, TaskStore store, TaskFilter filter) {
        List<TaskRecord> tasks = store.findTasks(filter);
        if (json) {
            List<Object> array = new ArrayList<>();
            tasks.forEach(task -> array.add(RecordJson.json(task)));
            out.println(Json.writePretty(array));
            return;
        }
        if (tasks.isEmpty()) {
            out.println("No tasks" + (filter.state() != null || filter.since() != null ? " match." : " yet."));
            return;
        }
        String host = SupervisorLiveness.thisHost();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATE", "REASON", "MODE", "AGENT", "ELAPSED", "PEAK MEM", "CAP", "PROMPT"});
        for (TaskRecord task : tasks) {
            rows.add(new String[] {task.id(), TaskViews.state(store, task, host, common.clock()), task.reason() == null ? "-" : task.reason().label(),
                task.mode().label(), TaskViews.promptStart(task.agent(), 24), TaskViews.elapsed(task, common.clock()),
                MemoryFigures.cell(task), task.memoryCapMb() == null ? "-" : task.memoryCapMb() + " MB",
                TaskViews.promptStart(task.prompt(), 48)});
        }
        out.print(Table.render(rows));
        if (filter.state() == null) {
            listRuns(out, store, filter);
            listBatches(out, store, filter);
        }
    }

    /** A workflow run: its steps as a tree of their needs, with their states and tasks. */
    private void runDetail(PrintStream out, TaskStore store, Settings settings) {
        RunRecord run = store.runs().findRun(taskId).orElseThrow(() ->
                new UsageException("no run '" + taskId + "' in " + settings.storeFile()));
        List<RunStepRecord> steps = store.runs().steps(run.id());
        if (json) {
            out.println(Json.writePretty(RecordJson.json(run, steps)));
            return;
        }
        Workflow workflow = new WorkflowCatalog(settings).loadText(run.source(), run.definition());
        String state = runState(store, run);
        if (!state.equals(run.state().label())) {
            state += "; 'mayfly resume " + run.id() + "' continues it";
        }
        out.print(WorkflowRuns.tree(run, workflow, steps, state));
    }

    /** The stored state, marked when a running run's supervisor is gone. */
    private String runState(TaskStore store, RunRecord run) {
        return liveState(store, run.state().label(), run.state() == RunRecord.State.RUNNING, run.supervisorId());
    }

    /** A run's or a batch's state, marked when it is running by a supervisor that is gone. */
    private String liveState(TaskStore store, String label, boolean running, String supervisorId) {
        if (!running) {
            return label;
        }
        boolean alive = store.findSupervisor(supervisorId)
                .map(supervisor -> SupervisorLiveness.isAlive(supervisor, common.clock())).orElse(false);
        return alive ? label : label + " (supervisor gone)";
    }

    /** The recent batches, newest first, below the tasks: how many of their lines completed. */
    private void listBatches(PrintStream out, TaskStore store, TaskFilter filter) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"BATCH", "STATE", "LINES DONE", "CREATED", "FILE"});
        for (BatchRecord batch : store.batches().recentBatches(RUNS_SHOWN)) {
            if (filter.since() != null && batch.createdAt().isBefore(filter.since())) {
                continue;
            }
            long done = store.batches().lastTasks(batch.id()).stream()
                    .filter(last -> last.state() == TaskState.COMPLETED).count();
            rows.add(new String[] {batch.id(), liveState(store, batch.state().label(),
                    batch.state() == BatchRecord.State.RUNNING, batch.supervisorId()), done + "/" + batch.lines(),
                batch.createdAt().truncatedTo(ChronoUnit.SECONDS).toString(), batch.file()});
        }
        if (rows.size() > 1) {
            out.println();
            out.println("Batches ('mayfly resume BATCH' runs again the lines that did not complete):");
            out.print(Table.render(rows));
        }
    }

    /** The workflow runs among the listed tasks' time, newest first, below the tasks. */
    private void listRuns(PrintStream out, TaskStore store, TaskFilter filter) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RUN", "STATE", "WORKFLOW", "STEPS DONE", "CREATED", "PROMPT"});
        for (RunRecord run : store.runs().recentRuns(RUNS_SHOWN)) {
            if (filter.since() != null && run.createdAt().isBefore(filter.since())) {
                continue;
            }
            List<RunStepRecord> steps = store.runs().steps(run.id());
            long done = steps.stream().filter(step -> step.state() == RunStepRecord.State.COMPLETED).count();
            rows.add(new String[] {run.id(), runState(store, run), run.workflow(), done + "/" + steps.size(),
                run.createdAt().truncatedTo(ChronoUnit.SECONDS).toString(), TaskViews.promptStart(run.prompt(), 40)});
        }
        if (rows.size() > 1) {
            out.println();
            out.println("Workflow runs ('mayfly status RUN' shows one's steps):");
            out.print(Table.render(rows));
        }
    }

    private void detail(PrintStream out, TaskStore store, TaskRecord task, AgentProviders agents) {
        List<EventRecord> events = store.events(task.id());
        TaskDetail.Facts facts = new TaskDetail.Facts(task, TaskViews.state(store, task, SupervisorLiveness.thisHost(), common.clock()),
                events, TaskDetail.agentLines(agents, task, events), store.memorySamples(task.id()), store.contextTiers(task.id()),
                store.attempts().attempts(task.id()), TaskViews.logTail(task), TaskViews.heapDump(task),
                store.runs().stepOf(task.id()).orElse(null));
        if (json) {
            Map<String, Object> object = RecordJson.detail(store, task);
            object.put("heapDump", facts.heapDump() == null ? null : facts.heapDump().toString());
            object.put("logTail", facts.logTail());
            out.println(Json.writePretty(object));
            return;
        }
        out.print(TaskDetail.render(facts, common.clock()));
    }
}
