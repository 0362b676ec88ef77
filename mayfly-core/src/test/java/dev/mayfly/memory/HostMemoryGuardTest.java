package dev.mayfly.memory;

import static dev.mayfly.support.TestSettings.alive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.Settings;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.SettableHostMemory;
import dev.mayfly.support.TestPrograms;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Admission by memory and the host floor, with the host's available memory set by the test (the
 * seam: {@link HostMemory}); the tasks are real Python programs.
 */
class HostMemoryGuardTest {

    @TempDir
    Path home;

    private Settings settings(boolean workers) {
        return TestSettings.workersOn(home, "USE_WORKERS", Boolean.toString(workers), "MAYFLY_MEMORY_MB", "512",
                "MAYFLY_MEMORY_RESERVE_MB", "100", "MAYFLY_HOST_FLOOR_MB", "50");
    }

    private static TaskRequest holding(Settings settings, Path home, double seconds, int priority) {
        AgentSpec hold = TestPrograms.agent(TestPrograms.python("hold.py", 20, seconds));
        return TaskRequest.builder("Implement a held task", hold).complexity(0.8).workDir(home)
                .limits(TaskLimits.of(settings)).priority(priority).build();
    }

    private static TaskRecord task(Orchestrator orchestrator, String id) {
        return orchestrator.store().findTask(id).orElseThrow();
    }

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void a_task_whose_cap_does_not_fit_waits_saying_why_then_runs_when_memory_frees(boolean workers) throws Exception {
        Settings settings = settings(workers);
        SettableHostMemory host = new SettableHostMemory(400, 24_000);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings, host)) {
            Orchestrator orchestrator = fixture.orchestrator();
            AtomicReference<String> id = new AtomicReference<>();
            CompletableFuture<TaskResult> result = CompletableFuture.supplyAsync(() -> {
                try {
                    return orchestrator.submit(holding(settings, home, 0.2, 0), null, null, id::set).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            TaskRecord waiting = await().atMost(Duration.ofSeconds(20)).until(
                    () -> id.get() == null ? null : task(orchestrator, id.get()), task -> task != null && task.waitReason() != null);
            assertThat(waiting.state()).isEqualTo(TaskState.QUEUED);
            assertThat(waiting.waitReason()).isEqualTo("waiting for memory: its cap of 512 MB does not fit in the 300 MB "
                    + "available (400 MB less the 100 MB reserve, MAYFLY_MEMORY_RESERVE_MB)");
            assertThat(result).isNotDone();

            host.setAvailableMb(5000);

            TaskResult ended = result.get();
            assertThat(ended.outcome().state()).as("%s", ended.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(task(orchestrator, ended.taskId()).waitReason()).isNull();
            assertThat(orchestrator.store().events(ended.taskId())).extracting(EventRecord::type)
                    .containsSubsequence("task_queued", "waiting", "task_running", "task_completed");
        }
    }

    @Test
    void below_the_host_floor_the_newest_task_of_the_lowest_priority_is_ended_first() throws Exception {
        Settings settings = settings(true);
        SettableHostMemory host = new SettableHostMemory(5000, 24_000);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings, host)) {
            Orchestrator orchestrator = fixture.orchestrator();
            List<String> ids = new CopyOnWriteArrayList<>();
            List<CompletableFuture<TaskResult>> results = new ArrayList<>();
            for (int priority : new int[] {0, 0, 5}) {
                results.add(orchestrator.submit(holding(settings, home, 600, priority), null, null, ids::add));
                // Each starts before the next, so "newest" is known.
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    TaskRecord task = task(orchestrator, ids.get(ids.size() - 1));
                    return task.state() == TaskState.RUNNING && task.pid() != null;
                });
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> ids.stream().allMatch(id ->
                    !orchestrator.store().memorySamples(id).isEmpty()));

            host.dipTo(30, 1);

            TaskResult ended = results.get(1).get();
            assertThat(ended.outcome().reason()).isEqualTo(FailureReason.OUT_OF_MEMORY);
            assertThat(ended.outcome().error()).startsWith("the host was low on memory: 30 MB available, below the floor "
                    + "of 50 MB (MAYFLY_HOST_FLOOR_MB); this task was ended first (lowest priority, newest)");
            assertThat(orchestrator.store().events(ended.taskId()).stream()
                    .filter(event -> event.type().equals("memory_exceeded")).findFirst().orElseThrow().dataJson())
                    .contains("\"by\":\"host_low\"", "\"availableMb\":30", "\"floorMb\":50");
            // The older task of the same priority and the higher-priority one were left alone.
            for (int i : new int[] {0, 2}) {
                TaskRecord task = task(orchestrator, ids.get(i));
                assertThat(task.state()).as("task %d", i).isEqualTo(TaskState.RUNNING);
                assertThat(alive(task.pid())).isTrue();
            }
        }
    }
}
