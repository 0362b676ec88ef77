package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A command's output as it is produced: {@code run --stream} copies its standard output live to
 * Mayfly's, alone; {@code logs ID --follow} prints a running task's log as it grows and ends with it.
 */
class StreamAndLogsTest {

    /** Prints a line on each stream, waits for the file 'go', then prints a second line. */
    private static final List<String> WAITING_PROGRAM = List.of("python3", "-c",
            "import os, sys, time\n"
                    + "print('first', flush=True)\n"
                    + "print('a warning, on standard error', file=sys.stderr, flush=True)\n"
                    + "while not os.path.exists('go'):\n"
                    + "    time.sleep(0.05)\n"
                    + "print('second', flush=True)\n");

    @TempDir
    Path workDir;

    private static String[] args(List<String> options) {
        List<String> all = new ArrayList<>(options);
        all.add("--");
        all.addAll(WAITING_PROGRAM);
        return all.toArray(String[]::new);
    }

    @ParameterizedTest(name = "workers: {0}")
    @ValueSource(booleans = {false, true})
    void stream_copies_the_commands_standard_output_live_and_alone(boolean workers) throws Exception {
        try (MayflyProcess mayfly = MayflyProcess.start(workDir, Map.of(), args(List.of("run", "--stream",
                workers ? "--workers" : "--no-workers", "--complexity", "high", "--heap-mb", "64",
                "--prompt", "Write the answer")))) {
            // The first line arrives while the program still runs: it waits for 'go', which only comes next.
            await().atMost(Duration.ofSeconds(60)).until(() -> mayfly.stdoutSoFar().contains("first\n"));
            assertThat(mayfly.process().isAlive()).isTrue();
            Files.writeString(workDir.resolve("go"), "");

            MayflyProcess.Result result = mayfly.awaitExit();

            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.OK);
            assertThat(result.stdout()).isEqualTo("first\nsecond\n");
            assertThat(result.stderr()).contains("completed (" + (workers ? "worker" : "in-process"))
                    .doesNotContain("Result: ");
            // The log has both streams, each line whole (read apart, a line of one could be cut by the other).
            assertThat(Files.readAllLines(taskLog(onlyTask())))
                    .containsSubsequence("first", "second").contains("a warning, on standard error");
            assertThat(taskLog(onlyTask()).resolveSibling("stdout.txt")).as("removed once copied").doesNotExist();
        }
    }

    @Test
    void logs_follow_prints_a_running_tasks_log_as_it_grows_and_ends_with_the_task() throws Exception {
        try (MayflyProcess run = MayflyProcess.start(workDir, Map.of(), args(List.of("run", "--no-workers",
                "--prompt", "Write the answer")))) {
            TaskRecord task = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(this::onlyTask, found -> found.state() == TaskState.RUNNING);
            try (MayflyProcess logs = MayflyProcess.start(workDir, Map.of(), "logs", "--follow", task.id())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> logs.stdoutSoFar().contains("first\n"));
                assertThat(logs.process().isAlive()).as("it follows until the task ends").isTrue();
                Files.writeString(workDir.resolve("go"), "");

                MayflyProcess.Result followed = logs.awaitExit();

                assertThat(followed.exitCode()).as(followed.stderr()).isEqualTo(ExitCodes.OK);
                assertThat(followed.stdout()).contains("first\n", "a warning, on standard error\n", "second\n");
            }
            assertThat(run.awaitExit().exitCode()).isEqualTo(ExitCodes.OK);
        }
        MayflyProcess.Result whole = MayflyProcess.run(workDir, Map.of(), "logs", onlyTask().id());
        assertThat(whole.stdout()).isEqualTo(Files.readString(taskLog(onlyTask())));
        MayflyProcess.Result unknown = MayflyProcess.run(workDir, Map.of(), "logs", "task-nope");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.stderr()).startsWith("mayfly: no task 'task-nope' in ");
    }

    private TaskRecord onlyTask() {
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
            List<TaskRecord> tasks = store.recentTasks(10);
            assertThat(tasks).hasSize(1);
            return tasks.get(0);
        }
    }

    private static Path taskLog(TaskRecord task) {
        return Path.of(task.logPath());
    }
}
