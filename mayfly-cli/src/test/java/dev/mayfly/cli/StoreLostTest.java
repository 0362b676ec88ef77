package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.store.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store deleted or replaced while Mayfly runs is noticed: Mayfly stops with a clear error, never a false success. */
class StoreLostTest {

    @TempDir
    Path workDir;

    private Path store() {
        return workDir.resolve(".mayfly/workers.db");
    }

    @Test
    void a_store_deleted_during_a_batch_stops_it_and_says_so() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            lines.add("{\"prompt\":\"Task " + i + "\",\"agent\":\"command:sleep 0.3\"}");
        }
        Path batch = Files.write(workDir.resolve("tasks.jsonl"), lines);
        try (MayflyProcess mayfly = MayflyProcess.start(workDir, Map.of("MAYFLY_MAX_WORKERS", "2"), "batch",
                "--no-workers", batch.toString())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> mayfly.stderr().contains("[ 2/24]"));
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(workDir.resolve(".mayfly/workers.db" + suffix));
            }

            MayflyProcess.Result result = mayfly.awaitExit();

            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.FAILED);
            assertThat(result.stderr()).contains("mayfly: the store " + store() + " was deleted while Mayfly was using "
                    + "it; ").containsPattern("; [1-9][0-9]* line\\(s\\) of " + batch + " were not started");
            Matcher summary = Pattern.compile("Batch interrupted: 24 tasks in .*: ([0-9]+) completed, 0 failed, "
                    + "([0-9]+) not started\\.").matcher(result.stdout());
            assertThat(summary.find()).as(result.stdout()).isTrue();
            assertThat(Integer.parseInt(summary.group(1))).as("not all 24 claimed completed").isLessThan(24);
            assertThat(result.stdout()).as("a batch in a deleted store cannot be resumed").doesNotContain("mayfly resume");
            // A deleted store does not come back: an outcome it refuses is named at once, not after three tries.
            assertThat(result.stderr()).doesNotContain("tried 3 times");
        }
    }

    @Test
    void a_store_replaced_while_a_task_runs_leaves_its_outcome_named_and_exit_1() throws Exception {
        Path other = workDir.resolve("other.db");
        SqliteStore.open(other).close();
        try (MayflyProcess mayfly = MayflyProcess.start(workDir, Map.of(), "run", "--no-workers", "--prompt", "Wait",
                "--", "python3", "-c", "import os, time\nopen('started', 'w').close()\n"
                        + "while not os.path.exists('go'): time.sleep(0.05)\n")) {
            // The task is stored and its program runs: only its outcome is still to be written.
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(workDir.resolve("started")));
            Files.move(other, store(), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(workDir.resolve("go"), "");

            MayflyProcess.Result result = mayfly.awaitExit();

            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.FAILED);
            assertThat(result.stderr()).containsPattern("mayfly: could not record that task task-\\S+ completed")
                    .contains("the store " + store() + " was replaced by another file while Mayfly was using it");
        }
    }
}
