package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.store.TaskFilter;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several `mayfly` processes on one store at once: every outcome is stored, and what they print agrees with it. */
class SharedStoreProcessTest {

    @TempDir
    Path workDir;

    @Test
    void three_loops_of_runs_and_a_batch_on_one_store_lose_no_outcome() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            lines.append("{\"prompt\": \"Line ").append(i).append("\", \"agent\": \"command:true\"}\n");
        }
        Path batch = workDir.resolve("tasks.jsonl");
        Files.writeString(batch, lines);
        List<CompletableFuture<List<MayflyProcess.Result>>> loops = new ArrayList<>();
        for (int loop = 0; loop < 3; loop++) {
            int j = loop;
            loops.add(CompletableFuture.supplyAsync(() -> {
                List<MayflyProcess.Result> results = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    try {
                        results.add(MayflyProcess.run(workDir, Map.of(), "run", "--no-workers", "--prompt",
                                "Process " + j + "-" + i, "--", "true"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return results;
            }));
        }
        MayflyProcess.Result batchResult = MayflyProcess.run(workDir, Map.of(), "batch", batch.toString());

        for (CompletableFuture<List<MayflyProcess.Result>> loop : loops) {
            for (MayflyProcess.Result result : loop.get()) {
                assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.OK);
            }
        }
        assertThat(batchResult.exitCode()).as(batchResult.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(batchResult.stdout() + batchResult.stderr()).contains("8 completed, 0 failed");
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
            List<TaskRecord> tasks = store.findTasks(new TaskFilter(null, null, 100));
            assertThat(tasks).hasSize(23).allSatisfy(task -> assertThat(task.state()).isEqualTo(TaskState.COMPLETED));
        }
    }
}
