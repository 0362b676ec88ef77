package dev.mayfly.store;

import static dev.mayfly.support.TestSettings.longTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.Settings;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store that refuses writes while a task runs (as a full disk does; here SQLite's own
 * {@code query_only}): the task still ends, its real outcome comes back, and the caller is told that
 * it could not be recorded, naming the task, the outcome and SQLite's reason.
 */
class RefusedWriteTest {

    @TempDir
    Path home;

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void a_task_whose_outcome_cannot_be_written_comes_back_with_its_real_outcome_and_why(boolean workers) throws Exception {
        Settings settings = TestSettings.workersOn(home, "USE_WORKERS", Boolean.toString(workers));
        AgentSpec waitsForGo = AgentSpec.command(List.of("sh", "-c", "while [ ! -f go ]; do sleep 0.05; done; echo done"));
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            Orchestrator orchestrator = fixture.orchestrator();
            AtomicReference<String> id = new AtomicReference<>();
            CompletableFuture<TaskResult> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return orchestrator.submit(longTask(settings, waitsForGo, home, Duration.ofMinutes(1)), null, null,
                            id::set).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> id.get() != null
                    && orchestrator.store().findTask(id.get()).orElseThrow().state() == TaskState.RUNNING);
            JdbcTaskStore store = (JdbcTaskStore) orchestrator.store();

            store.execute("PRAGMA query_only = 1");
            Files.writeString(home.resolve("go"), "");
            TaskResult result = running.get();
            store.execute("PRAGMA query_only = 0");

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(result.outcome().resultJson()).contains("done");
            assertThat(result.unrecorded()).startsWith("could not record that task " + result.taskId() + " completed "
                    + "(tried 3 times): ").contains("SQLITE_READONLY");
            assertThat(store.findTask(result.taskId()).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
            assertThat(fixture.console()).contains("ERROR", "could not record that task " + result.taskId());
        }
    }
}
