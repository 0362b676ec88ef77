package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.json.Json;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.store.TaskFilter;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.TaskState;
import dev.mayfly.testagents.SleepingAgent;
import dev.mayfly.worker.WorkerMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mayfly batch` as a real process. */
class BatchProcessTest {

    @TempDir
    Path workDir;

    private static final String SLEEPER = "java:" + SleepingAgent.class.getName();

    private Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("USE_WORKERS", "true");
        environment.put("MAYFLY_MAX_WORKERS", "2");
        environment.put("MAYFLY_HEAP_MB", "64");
        environment.put("MAYFLY_CLASSPATH", TestSettings.testClasses().toString());
        return environment;
    }

    private static String task(String prompt, int priority, int millis) {
        return "{\"prompt\":\"" + prompt + "\",\"agent\":\"" + SLEEPER + "\",\"priority\":" + priority
                + ",\"params\":{\"millis\":" + millis + ",\"holdMb\":1}}";
    }

    private List<TaskRecord> storedTasks() {
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
            return store.findTasks(new TaskFilter(null, null, 1000));
        }
    }

    private static long workerChildren(ProcessHandle mayfly) {
        return mayfly.descendants().filter(child -> child.info().arguments().map(List::of).orElse(List.of())
                .contains(WorkerMain.class.getName())).count();
    }

    @Test
    @SuppressWarnings("unchecked")
    void twenty_tasks_with_two_workers_run_by_priority_within_the_pool_and_a_bad_line_is_reported_by_number()
            throws Exception {
        List<String> lines = new ArrayList<>();
        int[] priorities = {3, 0, 7, 1, 9, 4, 2, 8, 5, 6, 0, 3, 7, 1, 9, 2, 8, 4, 6, 5};
        for (int i = 0; i < 20; i++) {
            lines.add(task("Implement task " + i, priorities[i], 300));
            if (i == 6) {
                lines.add("{\"prompt\": \"Implement the broken one\", \"agent\": \"probe\", \"heapMb\": \"lots\"}");
            }
        }
        Path batch = Files.write(workDir.resolve("tasks.jsonl"), lines);
        AtomicInteger mostWorkers = new AtomicInteger();
        AtomicBoolean watching = new AtomicBoolean(true);

        MayflyProcess.Result result;
        try (MayflyProcess mayfly = MayflyProcess.start(workDir, environment(), "batch", "--json", batch.toString())) {
            Thread watcher = new Thread(() -> {
                while (watching.get()) {
                    mostWorkers.accumulateAndGet((int) workerChildren(mayfly.process().toHandle()), Math::max);
                    LockSupport.parkNanos(2_000_000);
                }
            });
            watcher.start();
            result = mayfly.awaitExit();
            watching.set(false);
            watcher.join();
        }

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.stderr()).contains("tasks.jsonl line 8: invalid heapMb 'lots': expected a whole number of megabytes");
        List<String> out = result.stdout().lines().toList();
        assertThat(out).hasSize(21);
        Map<String, Object> summary = (Map<String, Object>) Json.readObject(out.get(20)).get("summary");
        assertThat(summary).containsEntry("tasks", 20L).containsEntry("completed", 20L).containsEntry("failed", 0L)
                .containsEntry("notStarted", 0L);
        assertThat(summary.get("linesLeftOut").toString()).contains("line 8: invalid heapMb");
        for (String line : out.subList(0, 20)) {
            assertThat(Json.readObject(line)).containsEntry("status", "completed").containsEntry("mode", "worker")
                    .containsKeys("line", "taskId", "executionTimeMs", "memoryPeakMb");
        }
        assertThat(mostWorkers.get()).isEqualTo(2);
        List<TaskRecord> tasks = storedTasks();
        assertThat(tasks).hasSize(20);
        for (TaskRecord higher : tasks) {
            for (TaskRecord lower : tasks) {
                if (higher.priority() > lower.priority()) {
                    // A lower-priority task never ends before a higher-priority one has started.
                    assertThat(higher.startedAt()).as("%s (p%d) vs %s (p%d)", higher.prompt(), higher.priority(),
                            lower.prompt(), lower.priority()).isBefore(lower.finishedAt());
                }
            }
        }
    }

    @Test
    void strict_runs_nothing_when_a_line_is_bad() throws Exception {
        Path batch = Files.write(workDir.resolve("tasks.jsonl"), List.of(task("Implement one", 0, 10), "{\"prompt\": 5}"));

        MayflyProcess.Result result = MayflyProcess.run(workDir, environment(), "batch", "--strict", batch.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.stderr()).contains("tasks.jsonl line 2: invalid prompt '5': expected a string, in double quotes",
                "mayfly: 1 line(s) of " + batch + " cannot be run; nothing was run (--strict)");
        assertThat(Files.exists(workDir.resolve(".mayfly"))).isFalse();
    }

    @Test
    void a_file_none_of_whose_lines_can_run_is_bad_input_and_writes_nothing() throws Exception {
        Path batch = Files.write(workDir.resolve("tasks.jsonl"), List.of("{\"prompt\": 42}", "{\"prompt\": \"  \"}",
                "{\"prompt\": \"Go\", \"agent\": \"probe\", \"resume\": \"claude-code\"}"));

        MayflyProcess.Result result = MayflyProcess.run(workDir, environment(), "batch", batch.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.stderr()).contains("tasks.jsonl line 1: invalid prompt '42': expected a string",
                "tasks.jsonl line 3: resume applies to command agents, which keep their own session; probe is not one",
                "mayfly: no line of " + batch + " can be run (3 line(s) left out, named above); nothing was run");
        assertThat(Files.exists(workDir.resolve(".mayfly"))).isFalse();
    }

    @Test
    void the_text_summary_counts_failures_by_reason_and_names_their_lines() throws Exception {
        Path batch = Files.write(workDir.resolve("tasks.jsonl"), List.of(
                task("Implement ok", 0, 10),
                "{\"prompt\":\"Fix it\",\"agent\":\"command:sh -c 'exit 4'\"}",
                "{\"prompt\":\"Implement slow\",\"agent\":\"" + SLEEPER + "\",\"timeout\":\"300ms\",\"params\":{\"millis\":60000}}"));

        MayflyProcess.Result result = MayflyProcess.run(workDir, environment(), "batch", batch.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.stdout()).contains("Batch done: 3 tasks in ", "1 completed, 2 failed (error 1, timed_out 1)",
                "line 2  task-", "error: sh exited with code 4", "line 3  task-", "timed_out: ");
        assertThat(result.stderr()).contains("[3/3] ");
    }

    @Test
    void ctrl_c_stops_the_workers_marks_their_tasks_interrupted_and_still_prints_the_summary() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(task("Implement long " + i, 0, 60_000));
        }
        Path batch = Files.write(workDir.resolve("tasks.jsonl"), lines);
        Map<String, String> environment = environment();
        environment.put("MAYFLY_GRACE_PERIOD", "1s");
        try (MayflyProcess mayfly = MayflyProcess.start(workDir, environment, "batch", batch.toString())) {
            // Two running: their workers up and connected (a worker spawned but not yet connected has not
            // started its task, and would count among those not started).
            await().atMost(Duration.ofSeconds(60)).until(() -> workerChildren(mayfly.process().toHandle()) == 2
                    && storedTasks().stream().filter(task -> task.state() == TaskState.RUNNING).count() == 2);

            new ProcessBuilder("kill", "-INT", Long.toString(mayfly.process().pid())).start().waitFor();
            MayflyProcess.Result result = mayfly.awaitExit();

            assertThat(result.exitCode()).isEqualTo(ExitCodes.INTERRUPTED);
            assertThat(result.stdout()).contains("Batch interrupted: 6 tasks", "0 completed, 2 failed (interrupted 2)",
                    "4 not started");
            // Every line was stored before the first started: the 4 that never started end interrupted too,
            // saying so, and a resume runs them.
            List<TaskRecord> tasks = storedTasks();
            assertThat(tasks).hasSize(6).allSatisfy(task -> assertThat(task.reason().label()).isEqualTo("interrupted"));
            assertThat(tasks).filteredOn(task -> task.startedAt() == null).hasSize(4).allSatisfy(task ->
                    assertThat(task.error()).startsWith("not started: the batch was stopped (Ctrl-C or SIGTERM); "
                            + "'mayfly resume batch-"));
            assertThat(workerChildren(mayfly.process().toHandle())).isZero();
        }
    }
}
