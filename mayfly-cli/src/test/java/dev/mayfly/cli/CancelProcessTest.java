package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.process.ProcFs;
import dev.mayfly.routing.Classification;
import dev.mayfly.routing.Mode;
import dev.mayfly.routing.RoutingDecision;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.SqliteTaskStore;
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
 * a Node program in-process, a task still queued in a batch, a task whose supervisor is gone.
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

    private SqliteTaskStore store() {
        return SqliteTaskStore.open(workDir.resolve(".mayfly/workers.db"));
    }

    private TaskRecord awaitTask(TaskState state) {
        return await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (SqliteTaskStore store = store()) {
                return store.recentTasks(10).stream().filter(task -> task.state() == state).findFirst().orElse(null);
            }
        }, task -> task != null);
    }

    private TaskRecord stored(String id) {
        try (SqliteTaskStore store = store()) {
            return store.findTask(id).orElseThrow();
        }
    }

    private List<Long> pids() throws Exception {
        Path file = workDir.resolve("pids.txt");
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
            try (SqliteTaskStore store = store()) {
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
            try (SqliteTaskStore store = store()) {
                List<TaskRecord> tasks = store.recentTasks(10);
                second = tasks.stream().filter(task -> task.prompt().contains("second")).findFirst().orElseThrow().id();
                first = tasks.stream().filter(task -> task.prompt().contains("first")).findFirst().orElseThrow().id();
            }
            assertThat(stored(second).state()).isEqualTo(TaskState.QUEUED);

            MayflyProcess.Result cancelSecond = MayflyProcess.run(workDir, environment(), "cancel", second);
            assertThat(cancelSecond.exitCode()).as(cancelSecond.stdout()).isEqualTo(ExitCodes.OK);
            assertThat(stored(second).error()).contains("before it started");
            MayflyProcess.Result cancelFirst = MayflyProcess.run(workDir, environment(), "cancel", first);
            assertThat(cancelFirst.exitCode()).as(cancelFirst.stdout()).isEqualTo(ExitCodes.OK);

            MayflyProcess.Result ran = run.awaitExit();
            assertThat(ran.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(Files.exists(workDir.resolve("second.txt"))).as("the cancelled line never ran").isFalse();
            assertThat(ran.stdout()).contains("line 2  " + second + "  cancelled: cancelled by the user");
        }
    }

    @Test
    void a_task_whose_supervisor_is_gone_is_recorded_cancelled_at_once() throws Exception {
        Instant now = Instant.now();
        try (SqliteTaskStore store = store()) {
            // A supervisor of this host whose process is gone (pid 2^22 + 1 is never used).
            store.registerSupervisor(SupervisorRecord.starting("supervisor-gone", dev.mayfly.orchestrator.SupervisorLiveness.thisHost(), 4194305, null,
                    now, Duration.ofSeconds(10)));
            store.createTask(new NewTask("task-left", "supervisor-gone",
                    TaskRequest.builder("Implement it", AgentSpec.command(List.of("true"))).complexity(0.8)
                            .workDir(workDir).limits(TaskLimits.of(64, Duration.ofMinutes(1))).build(),
                    new RoutingDecision(Mode.WORKER, new Classification(true, 0.8, "long"), "long", true),
                    workDir.resolve("task-left.log"), now));
            store.markRunning("task-left", 4194305L, now);
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
}
