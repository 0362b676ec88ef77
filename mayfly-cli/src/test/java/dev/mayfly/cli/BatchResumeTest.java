package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.json.Json;
import dev.mayfly.store.BatchRecord;
import dev.mayfly.store.BatchStore;
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
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch is stored whole before it starts; after kill -9, resume runs only the lines that did not complete. */
class BatchResumeTest {

    private static final int LINES = 12;

    @TempDir
    Path workDir;

    private JdbcTaskStore store() {
        return SqliteStore.open(workDir.resolve(".mayfly/workers.db"));
    }

    private List<BatchStore.LineTask> lastTasks(String batchId) {
        try (JdbcTaskStore store = store()) {
            return store.batches().lastTasks(batchId);
        }
    }

    @Test
    void a_batch_killed_midway_loses_no_line_and_resume_runs_what_did_not_complete() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= LINES; i++) {
            lines.add("{\"prompt\":\"Task " + i + "\",\"agent\":\"command:sh -c 'sleep 0.4; echo done " + i + "'\"}");
        }
        Path batchFile = Files.write(workDir.resolve("tasks.jsonl"), lines);
        Map<String, String> environment = Map.of("MAYFLY_MAX_WORKERS", "2");
        String batchId;
        Set<Integer> completedBefore;
        try (MayflyProcess batch = MayflyProcess.start(workDir, environment, "batch", "--no-workers", "--json",
                batchFile.toString())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> batch.stdoutSoFar().lines().count() >= 2);
            try (JdbcTaskStore store = store()) {
                batchId = store.batches().recentBatches(1).get(0).id();
            }
            assertThat(lastTasks(batchId)).as("every line is stored before the first one starts").hasSize(LINES);

            batch.process().destroyForcibly();
            batch.process().waitFor();
        }
        completedBefore = lastTasks(batchId).stream().filter(last -> last.state() == TaskState.COMPLETED)
                .map(BatchStore.LineTask::line).collect(Collectors.toSet());
        assertThat(completedBefore).hasSizeBetween(2, LINES - 1);
        MayflyProcess.Result listed = MayflyProcess.run(workDir, Map.of(), "status");
        assertThat(listed.stdout()).containsPattern(batchId + " +running \\(supervisor gone\\) +"
                + completedBefore.size() + "/" + LINES + " ");

        MayflyProcess.Result resumed = MayflyProcess.run(workDir, environment, "resume", batchId, "--json");

        assertThat(resumed.exitCode()).as(resumed.stderr()).isEqualTo(ExitCodes.OK);
        List<String> out = resumed.stdout().lines().toList();
        Map<?, ?> summary = (Map<?, ?>) Json.readObject(out.get(out.size() - 1)).get("summary");
        assertThat(summary.get("tasks")).isEqualTo((long) (LINES - completedBefore.size()));
        assertThat(summary.get("completed")).isEqualTo((long) (LINES - completedBefore.size()));
        assertThat(lastTasks(batchId)).hasSize(LINES).allSatisfy(last -> assertThat(last.state()).isEqualTo(TaskState.COMPLETED));
        try (JdbcTaskStore store = store()) {
            assertThat(store.batches().findBatch(batchId).orElseThrow().state()).isEqualTo(BatchRecord.State.COMPLETED);
            List<TaskRecord> tasks = store.recentTasks(100);
            for (int line : completedBefore) {
                assertThat(tasks).as("line %d completed before the kill and is not run again", line)
                        .filteredOn(task -> task.prompt().equals("Task " + line)).hasSize(1);
            }
            assertThat(tasks).as("no task is left queued or running").allSatisfy(task ->
                    assertThat(task.state().terminal()).isTrue());
        }
        MayflyProcess.Result again = MayflyProcess.run(workDir, environment, "resume", batchId);
        assertThat(again.stdout()).contains("Batch " + batchId + " already completed; nothing to resume.");
    }
}
