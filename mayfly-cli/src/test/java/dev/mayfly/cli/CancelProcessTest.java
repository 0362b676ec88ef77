package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.process.ProcFs;
import dev.mayfly.routing.Classification;
import dev.mayfly.routing.Mode;
import dev.mayfly.routing.RoutingDecision;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.BatchRecord;
import dev.mayfly.store.BatchStore;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.RunStepRecord;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.store.SupervisorRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code mayfly cancel}, from another process than the one running the task: a Python tree in a worker,
 * a Node program in-process, a task still queued in a batch, a task whose supervisor is gone; a whole
 * workflow run and a whole batch, running and with a supervisor gone.
 */
class CancelProcessTest {

    /** A Python program that starts a second one and waits; both write their pids. */
    private static final String PYTHON_TREE = "import os, subprocess, time\n"
            + "child = subprocess.Popen(['python3', '-c', 'import time; time.sleep(600)'])\n"
            + "open('pids.txt', 'w').write(f'{os.getpid()} {child.pid}')\n"
            + "time.sleep(600)\n";
    private static final String NODE_WAIT = "require('fs').writeFileSync('pids.txt', String(process.pid));"
            + "setTimeout(() => {}, 600000);";

    @TempDir
    Path workDir;

    private Map<String, String> environment() {
        return Map.of("MAYFLY_GRACE_PERIOD", "1s", "MAYFLY_HEAP_MB", "64");
    }

    private JdbcTaskStore store() {
        return SqliteStore.open(workDir.resolve(".mayfly/workers.db"));
    }

    private TaskRecord awaitTask(TaskState state) {
        return await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (JdbcTaskStore store = store()) {
                return store.recentTasks(10).stream().filter(task -> task.state() == state).findFirst().orElse(null);
            }
        }, task -> task != null);
    }

    /** Whether the one supervisor not stopped has recorded its control endpoint. */
    private boolean controlRecorded() {
        try (JdbcTaskStore store = store()) {
            return store.unstoppedSupervisors().stream().anyMatch(one -> store.findControl(one.id()).isPresent());
        }
    }

    private TaskRecord stored(String id) {
        try (JdbcTaskStore store = store()) {
            return store.findTask(id).orElseThrow();
        }
    }

    private List<Long> pids() throws Exception {
        return pids("pids.txt");
    }

    private List<Long> pids(String name) throws Exception {
        Path file = workDir.resolve(name);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(file) && !Files.readString(file).isBlank());
        List<Long> pids = new ArrayList<>();
        for (String pid : Files.readString(file).trim().split(" ")) {
            pids.add(Long.parseLong(pid));
        }
        return pids;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"python tree in a worker", "node in-process"})
    void a_running_task_is_cancelled_from_another_process_its_tree_ends_and_it_is_not_retried(String how)
            throws Exception {
        boolean worker = how.contains("worker");
        String[] command = worker ? new String[] {"python3", "-c", PYTHON_TREE} : new String[] {"node", "-e", NODE_WAIT};
        List<String> args = new ArrayList<>(List.of("run", worker ? "--workers" : "--no-workers", "--retries", "2",
                "--prompt", "Implement a long wait", "--"));
        args.addAll(List.of(command));
        List<Long> pids = List.of();
        try (MayflyProcess run = MayflyProcess.start(workDir, environment(), args.toArray(String[]::new))) {
            TaskRecord task = awaitTask(TaskState.RUNNING);
            pids = pids();

            MayflyProcess.Result cancel = MayflyProcess.run(workDir, environment(), "cancel", task.id());

            assertThat(cancel.exitCode()).as(cancel.stdout() + cancel.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(cancel.stdout()).contains("Task " + task.id() + " cancelled after");
            MayflyProcess.Result ran = run.awaitExit();
            assertThat(ran.exitCode()).as("a cancelled task is not a completed one").isEqualTo(ExitCodes.FAILED);
            assertThat(ran.stdout()).contains("Task " + task.id() + " cancelled (" + (worker ? "worker" : "in-process"));
            TaskRecord ended = stored(task.id());
            assertThat(ended.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(ended.reason()).isNull();
            assertThat(ended.error()).contains("cancelled by the user");
            try (JdbcTaskStore store = store()) {
                assertThat(store.attempts().attempts(task.id())).as("never retried").hasSize(1)
                        .extracting(AttemptRecord::outcome).containsExactly("cancelled");
                assertThat(store.events(task.id())).extracting(event -> event.type())
                        .contains("cancel_requested", "task_cancelled");
            }
            for (long pid : pids) {
                assertThat(ProcFs.system().alive(pid)).as("process %d of the task", pid).isFalse();
            }
        } finally {
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    @Test
    void a_queued_task_of_a_batch_is_cancelled_before_it_starts_and_the_others_go_on() throws Exception {
        Files.writeString(workDir.resolve("first.py"), "import time\nopen('first.txt', 'w').write('started')\n"
                + "time.sleep(600)\n");
        Files.writeString(workDir.resolve("second.py"), "open('second.txt', 'w').write('ran')\n");
        Path batch = Files.writeString(workDir.resolve("tasks.jsonl"),
                "{\"prompt\": \"Implement the first\", \"agent\": \"command:python3 first.py\"}\n"
                        + "{\"prompt\": \"Implement the second\", \"agent\": \"command:python3 second.py\"}\n");
        Map<String, String> oneAtATime = new HashMap<>(environment());
        oneAtATime.put("MAYFLY_MAX_WORKERS", "1");
        try (MayflyProcess run = MayflyProcess.start(workDir, oneAtATime, "batch", batch.toString(), "--workers")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(workDir.resolve("first.txt")));
            String second;
            String first;
            try (JdbcTaskStore store = store()) {
                List<TaskRecord> tasks = store.recentTasks(10);
                second = tasks.stream().filter(task -> task.prompt().contains("second")).findFirst().orElseThrow().id();
                first = tasks.stream().filter(task -> task.prompt().contains("first")).findFirst().orElseThrow().id();
            }
            assertThat(stored(second).state()).isEqualTo(TaskState.QUEUED);
            // The supervisor opens its endpoint a second after its start (until then it is reached through the store).
            await().atMost(Duration.ofSeconds(60)).until(this::controlRecorded);

            MayflyProcess.Result cancelSecond = MayflyProcess.run(workDir, environment(), "cancel", second);
            assertThat(cancelSecond.exitCode()).as(cancelSecond.stdout()).isEqualTo(ExitCodes.OK);
            // The batch's supervisor lives on (its first line runs), so it is always there to be told. (Where the
            // cancel ends its supervisor's only work, the supervisor may find the request itself and exit first.)
            assertThat(cancelSecond.stdout()).as("the standalone batch's supervisor is told through its control endpoint")
                    .contains("it was told through its control endpoint");
            assertThat(stored(second).error()).contains("before it started");
            MayflyProcess.Result cancelFirst = MayflyProcess.run(workDir, environment(), "cancel", first);
            assertThat(cancelFirst.exitCode()).as(cancelFirst.stdout()).isEqualTo(ExitCodes.OK);

            MayflyProcess.Result ran = run.awaitExit();
            assertThat(ran.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(Files.exists(workDir.resolve("second.txt"))).as("the cancelled line never ran").isFalse();
            assertThat(ran.stdout()).contains("line 2  " + second + "  cancelled: cancelled by the user");
        }
    }

    /** A supervisor of this host whose process is gone (pid 2^22 + 1 is never used), and a task it left running. */
    private static void leftRunning(JdbcTaskStore store, String taskId, Path workDir, Instant now) {
        if (store.findSupervisor("supervisor-gone").isEmpty()) {
            store.registerSupervisor(SupervisorRecord.starting("supervisor-gone", SupervisorLiveness.thisHost(), 4194305,
                    null, now, Duration.ofSeconds(10)));
        }
        store.createTask(new NewTask(taskId, "supervisor-gone",
                TaskRequest.builder("Implement it", AgentSpec.command(List.of("true"))).complexity(0.8)
                        .workDir(workDir).limits(TaskLimits.of(64, Duration.ofMinutes(1))).build(),
                new RoutingDecision(Mode.WORKER, new Classification(true, 0.8, "long"), "long", true),
                workDir.resolve(taskId + ".log"), now));
        store.markRunning(taskId, 4194305L, now);
    }

    @Test
    void a_task_whose_supervisor_is_gone_is_recorded_cancelled_at_once() throws Exception {
        try (JdbcTaskStore store = store()) {
            leftRunning(store, "task-left", workDir, Instant.now());
        }

        MayflyProcess.Result cancel = MayflyProcess.run(workDir, environment(), "cancel", "task-left");

        assertThat(cancel.exitCode()).as(cancel.stdout() + cancel.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(cancel.stdout()).contains("Task task-left cancelled: its supervisor supervisor-gone was gone");
        assertThat(stored("task-left").state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void an_unknown_task_is_refused_and_an_ended_one_is_left_as_it_is() throws Exception {
        MayflyProcess.Result done = MayflyProcess.run(workDir, environment(), "run", "--no-workers", "--prompt", "Fix typo",
                "--", "true");
        assertThat(done.exitCode()).isEqualTo(ExitCodes.OK);
        String id = Optional.of(awaitTask(TaskState.COMPLETED)).orElseThrow().id();

        MayflyProcess.Result unknown = MayflyProcess.run(workDir, environment(), "cancel", "task-nope");
        MayflyProcess.Result ended = MayflyProcess.run(workDir, environment(), "cancel", id);

        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.stderr().strip()).startsWith("mayfly: no task 'task-nope' in ").doesNotContain("\n");
        assertThat(ended.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(ended.stdout()).contains("Task " + id + " had already ended: completed; nothing to cancel.");
        assertThat(stored(id).state()).isEqualTo(TaskState.COMPLETED);
    }

    @Test
    void a_workflow_run_is_cancelled_its_running_steps_trees_end_and_its_later_step_never_starts() throws Exception {
        Files.writeString(workDir.resolve("tree.py"), PYTHON_TREE);
        Files.writeString(workDir.resolve("side.js"), NODE_WAIT.replace("pids.txt", "side-pid.txt"));
        Path workflow = Files.writeString(workDir.resolve("long.yaml"), String.join("\n",
                "name: long",
                "complexity: high",
                "steps:",
                "  - id: tree",
                "    agent: \"command:python3 tree.py\"",
                "  - id: side",
                "    agent: \"command:node side.js\"",
                "  - id: later",
                "    needs: [tree]",
                "    agent: \"command:sh -c 'echo ran > later.txt'\"") + "\n");
        List<Long> pids = new ArrayList<>();
        try (MayflyProcess run = MayflyProcess.start(workDir, environment(), "run", "--workers", "--workflow",
                workflow.toString(), "--prompt", "Wait a long while")) {
            pids.addAll(pids());
            pids.addAll(pids("side-pid.txt"));
            String runId;
            try (JdbcTaskStore store = store()) {
                runId = store.runs().recentRuns(1).get(0).id();
            }

            MayflyProcess.Result cancel = MayflyProcess.run(workDir, environment(), "cancel", runId);

            assertThat(cancel.exitCode()).as(cancel.stdout() + cancel.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(cancel.stdout()).contains("Run " + runId + " cancelled after");
            MayflyProcess.Result ran = run.awaitExit();
            assertThat(ran.exitCode()).as(ran.stdout()).isEqualTo(ExitCodes.FAILED);
            assertThat(ran.stdout()).contains("Run " + runId + " cancelled (workflow long, 3 step(s))");
            try (JdbcTaskStore store = store()) {
                assertThat(store.runs().findRun(runId).orElseThrow().state()).isEqualTo(RunRecord.State.CANCELLED);
                List<RunStepRecord> steps = store.runs().steps(runId);
                assertThat(steps).extracting(RunStepRecord::state).containsOnly(RunStepRecord.State.CANCELLED);
                assertThat(steps).filteredOn(step -> step.stepId().equals("later")).singleElement()
                        .satisfies(step -> assertThat(step.taskId()).isNull())
                        .satisfies(step -> assertThat(step.error()).isEqualTo("not run: the run was cancelled"));
                assertThat(store.recentTasks(10)).hasSize(2).extracting(TaskRecord::state)
                        .containsOnly(TaskState.CANCELLED);
            }
            assertThat(workDir.resolve("later.txt")).doesNotExist();
            for (long pid : pids) {
                assertThat(ProcFs.system().alive(pid)).as("process %d of the run", pid).isFalse();
            }

            MayflyProcess.Result resume = MayflyProcess.run(workDir, environment(), "resume", runId);
            assertThat(resume.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(resume.stderr().strip()).isEqualTo("mayfly: run " + runId + " was cancelled, and a cancelled run "
                    + "is not resumed; start it again with 'mayfly run --workflow long --prompt …'");
        } finally {
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    @Test
    void a_batch_is_cancelled_its_running_line_ends_and_its_queued_lines_never_start() throws Exception {
        Files.writeString(workDir.resolve("wait.js"), NODE_WAIT);
        Path batch = Files.writeString(workDir.resolve("tasks.jsonl"),
                "{\"prompt\": \"Implement the wait\", \"agent\": \"command:node wait.js\"}\n"
                        + "{\"prompt\": \"Implement the second\", \"agent\": \"command:sh -c 'echo > second.txt'\"}\n"
                        + "{\"prompt\": \"Implement the third\", \"agent\": \"command:sh -c 'echo > third.txt'\"}\n");
        Map<String, String> oneAtATime = new HashMap<>(environment());
        oneAtATime.put("MAYFLY_MAX_WORKERS", "1");
        List<Long> pids = List.of();
        try (MayflyProcess run = MayflyProcess.start(workDir, oneAtATime, "batch", batch.toString(), "--workers")) {
            pids = pids();
            String batchId;
            try (JdbcTaskStore store = store()) {
                batchId = store.batches().recentBatches(1).get(0).id();
            }

            MayflyProcess.Result cancel = MayflyProcess.run(workDir, environment(), "cancel", batchId);

            assertThat(cancel.exitCode()).as(cancel.stdout() + cancel.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(cancel.stdout()).contains("Batch " + batchId + " cancelled after");
            MayflyProcess.Result ran = run.awaitExit();
            assertThat(ran.exitCode()).as(ran.stdout()).isEqualTo(ExitCodes.FAILED);
            try (JdbcTaskStore store = store()) {
                assertThat(store.batches().findBatch(batchId).orElseThrow().state()).isEqualTo(BatchRecord.State.CANCELLED);
                assertThat(store.batches().lastTasks(batchId)).hasSize(3).extracting(BatchStore.LineTask::state)
                        .containsOnly(TaskState.CANCELLED);
            }
            assertThat(workDir.resolve("second.txt")).as("a queued line never ran").doesNotExist();
            assertThat(workDir.resolve("third.txt")).as("a queued line never ran").doesNotExist();
            assertThat(ProcFs.system().alive(pids.get(0))).as("the running line's program").isFalse();

            MayflyProcess.Result resume = MayflyProcess.run(workDir, environment(), "resume", batchId);
            assertThat(resume.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(resume.stderr()).contains("a cancelled batch is not resumed");
        } finally {
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    @Test
    void a_run_whose_supervisor_is_gone_is_recorded_cancelled_at_once_with_its_steps() throws Exception {
        Instant now = Instant.now();
        try (JdbcTaskStore store = store()) {
            leftRunning(store, "task-of-run", workDir, now);
            store.runs().createRun(new RunRecord("run-left", "supervisor-gone", "long", "long.yaml", "name: long",
                    "Wait", "{}", 0.8, RunRecord.State.RUNNING, null, workDir.toString(), now, null), List.of("a", "b"));
            store.runs().stepStarted("run-left", "a", now);
            store.runs().stepTask("run-left", "a", "task-of-run");
        }

        MayflyProcess.Result cancel = MayflyProcess.run(workDir, environment(), "cancel", "run-left");

        assertThat(cancel.exitCode()).as(cancel.stdout() + cancel.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(cancel.stdout()).contains("Run run-left cancelled: its supervisor supervisor-gone was gone; 1 task(s) "
                + "of it cancelled");
        try (JdbcTaskStore store = store()) {
            assertThat(store.runs().findRun("run-left").orElseThrow().state()).isEqualTo(RunRecord.State.CANCELLED);
            assertThat(store.runs().steps("run-left")).extracting(RunStepRecord::state)
                    .containsOnly(RunStepRecord.State.CANCELLED);
            assertThat(store.findTask("task-of-run").orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
        }
        MayflyProcess.Result again = MayflyProcess.run(workDir, environment(), "cancel", "run-left");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(again.stdout()).contains("Run run-left had already ended: cancelled; nothing to cancel.");
        MayflyProcess.Result unknown = MayflyProcess.run(workDir, environment(), "cancel", "batch-nope");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.stderr().strip()).startsWith("mayfly: no batch 'batch-nope' in ");
    }
}
