package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.json.Json;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One task's output cannot fill the disk: its log keeps a head and a tail; below a free-space reserve no task starts. */
class DiskUseTest {

    @TempDir
    Path workDir;

    @ParameterizedTest(name = "workers: {0}")
    @ValueSource(booleans = {false, true})
    void a_command_printing_twenty_megabytes_leaves_a_log_of_one(boolean workers) throws Exception {
        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of("MAYFLY_TASK_LOG_MAX_MB", "1"), "run", "--json",
                workers ? "--workers" : "--no-workers", "--complexity", "high", "--heap-mb", "64",
                "--prompt", "Print a lot", "--", "python3", "-c",
                "import sys\nfor i in range(400000): sys.stdout.write('line %07d of the flood, padded to fifty bytes\\n' % i)\n"
                        + "print('THE END')");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.OK);
        String taskId = Json.readObject(result.stdout().trim()).get("taskId").toString();
        Path log = workDir.resolve(".mayfly/runs/" + taskId + "/task.log");
        assertThat(Files.size(log)).isBetween(1024L * 1024 - 1024, 1024L * 1024 + 256);
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(text).startsWith("line 0000000 of the flood").endsWith("THE END\n")
                .contains("bytes cut here: a task's log keeps its first 256 KB and last 768 KB (MAYFLY_TASK_LOG_MAX_MB)");
        assertThat(log.resolveSibling("task.log.tail")).doesNotExist();
    }

    @Test
    void below_the_disk_reserve_a_task_is_refused_naming_the_folder_and_the_numbers() throws Exception {
        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of("MAYFLY_DISK_RESERVE_MB", "2000000000"), "run",
                "--no-workers", "--prompt", "Say hi", "--", "echo", "hi");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.stderr()).containsPattern("mayfly: error: the disk holding " + workDir.resolve(".mayfly")
                + " has [0-9]+ MB free, below the reserve of 2000000000 MB \\(MAYFLY_DISK_RESERVE_MB\\); the task was not "
                + "started");
        assertThat(result.stdout()).isEmpty();
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
            assertThat(store.recentTasks(10)).as("nothing accepted, so nothing to lose").isEmpty();
        }
    }

    @Test
    void below_the_disk_reserve_a_batch_is_refused_before_it_stores_a_line() throws Exception {
        Path batch = Files.write(workDir.resolve("tasks.jsonl"), List.of("{\"prompt\":\"One\",\"agent\":\"command:true\"}",
                "{\"prompt\":\"Two\",\"agent\":\"command:true\"}"));

        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of("MAYFLY_DISK_RESERVE_MB", "2000000000"), "batch",
                "--no-workers", batch.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.stderr()).containsPattern("mayfly: error: the disk holding " + workDir.resolve(".mayfly")
                + " has [0-9]+ MB free, below the reserve of 2000000000 MB \\(MAYFLY_DISK_RESERVE_MB\\); the batch was "
                + "not started");
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
            assertThat(store.recentTasks(10)).isEmpty();
            assertThat(store.batches().recentBatches(10)).isEmpty();
        }
    }
}
