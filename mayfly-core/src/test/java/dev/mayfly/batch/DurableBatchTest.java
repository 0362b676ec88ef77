package dev.mayfly.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.config.Settings;
import dev.mayfly.errors.MayflyException;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.routing.Mode;
import dev.mayfly.store.NewTask;
import dev.mayfly.support.OrchestratorFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch that runs holds its lines' numbers and task ids only, and reads each task back from the store. */
class DurableBatchTest {

    @Test
    void each_task_is_read_back_from_the_store_as_it_was_stored(@TempDir Path folder) throws Exception {
        BatchFixture fixture = BatchFixture.of(folder,
                "{\"prompt\": \"One\", \"agent\": \"command:sh -c true\", \"workers\": false}",
                "",
                "{\"prompt\": \"Two \\\"quoted\\\" ü\", \"agent\": \"command:sh -c 'echo a'\", \"params\": {\"k\": \"v\"}, "
                        + "\"complexity\": 0.9, \"heapMb\": 96, \"timeout\": \"90s\", \"retries\": 2, \"priority\": 7, "
                        + "\"workers\": true}");
        BatchFile.Plan plan = fixture.read(false);
        Settings settings = fixture.settings();

        try (OrchestratorFixture running = new OrchestratorFixture(settings)) {
            Orchestrator orchestrator = running.orchestrator();
            DurableBatch batch = DurableBatch.begin(orchestrator, fixture.file(), plan.entries(), Clock.systemUTC());

            assertThat(batch.lines()).extracting(DurableBatch.Line::number).containsExactly(1, 3);
            assertThat(batch.lines()).extracting(DurableBatch.Line::priority).containsExactly(0, 7);
            DurableBatch.Line second = batch.lines().get(1);
            NewTask task = batch.task(second);
            assertThat(task.id()).isEqualTo(second.taskId());
            assertThat(task.request()).isEqualTo(plan.entries().get(1).request());
            assertThat(task.routing().mode()).isEqualTo(Mode.WORKER);
            assertThat(task.logPath()).isEqualTo(settings.runsDir().resolve(second.taskId()).resolve(NewTask.LOG_FILE));
            assertThat(batch.task(batch.lines().get(0)).routing().mode()).isEqualTo(Mode.IN_PROCESS);

            DurableBatch.Line unknown = new DurableBatch.Line(9, 0, "task-gone-0");
            assertThatThrownBy(() -> batch.task(unknown)).isInstanceOf(MayflyException.class)
                    .hasMessage("task task-gone-0 of batch " + batch.id() + " (line 9) is no longer in the store");
        }
    }

    @Test
    void a_run_counts_every_line_and_keeps_the_result_of_the_failed_ones_only(@TempDir Path folder) throws Exception {
        BatchFixture fixture = BatchFixture.of(folder,
                "{\"prompt\": \"One\", \"agent\": \"command:sh -c true\", \"workers\": false}",
                "{\"prompt\": \"Two\", \"agent\": \"command:sh -c 'exit 3'\", \"workers\": false}",
                "{\"prompt\": \"Three\", \"agent\": \"command:sh -c true\", \"workers\": false}");
        BatchFile.Plan plan = fixture.read(false);

        try (OrchestratorFixture running = new OrchestratorFixture(fixture.settings())) {
            DurableBatch batch = DurableBatch.begin(running.orchestrator(), fixture.file(), plan.entries(), Clock.systemUTC());
            List<Integer> told = new CopyOnWriteArrayList<>();
            BatchRunner runner = new BatchRunner(running.orchestrator(), batch, 2,
                    (line, result, progress) -> told.add(line), Clock.systemUTC());

            List<BatchRunner.Result> kept = runner.run();

            assertThat(told).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(runner.progress().done()).isEqualTo(3);
            assertThat(runner.progress().failed()).isEqualTo(1);
            assertThat(kept).extracting(BatchRunner.Result::line).as("a completed line leaves nothing behind")
                    .containsExactly(2);
            assertThat(kept.get(0).task().outcome().succeeded()).isFalse();
        }
    }
}
