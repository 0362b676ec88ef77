package dev.mayfly.supervisor;

import static dev.mayfly.support.TestSettings.javaAgent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import dev.mayfly.testagents.EchoAgent;
import dev.mayfly.testagents.GrowingAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointAndRotateTest {

    @TempDir
    Path home;

    private TaskRequest growing(int heapMb, Map<String, String> params) {
        return TaskRequest.builder("Implement the growing task", javaAgent(GrowingAgent.class)).params(params)
                .complexity(0.8).workDir(home).limits(TaskLimits.of(heapMb, Duration.ofMinutes(3))).build();
    }

    @Test
    void a_task_that_needs_five_times_its_heap_cap_finishes_through_rotations_with_the_uninterrupted_result()
            throws Exception {
        String uninterrupted;
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            TaskResult big = fixture.orchestrator().run(growing(768, Map.of("sleepMs", "0")));
            assertThat(big.outcome().state()).as("%s", big.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(fixture.orchestrator().store().findTask(big.taskId()).orElseThrow().rotations()).isZero();
            uninterrupted = big.outcome().resultJson();
        }

        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            // 320 steps of 1 MB each kept alive: 320 MB in all, five times the 64 MB cap.
            TaskResult result = fixture.orchestrator().run(growing(64, Map.of()));

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(result.outcome().resultJson()).isEqualTo(uninterrupted);
            TaskRecord task = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            assertThat(task.rotations()).isGreaterThanOrEqualTo(4);
            assertThat(task.attempts()).isEqualTo(task.rotations() + 1);
            assertThat(fixture.orchestrator().store().events(result.taskId())).extracting(EventRecord::type)
                    .contains("checkpoint", "rotated", "worker_started").doesNotContain("task_failed");
            assertThat(fixture.orchestrator().supervisor().stats().outOfMemory()).isZero();
            assertThat(fixture.orchestrator().supervisor().stats().spawned()).isEqualTo(task.attempts());
            assertThat(fixture.console()).contains("live heap at", "continuing in a fresh worker from its checkpoint");
        }
    }

    @Test
    void an_agent_growing_at_full_speed_rotates_at_its_checkpoints_before_it_runs_out() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            // No pause between steps: 320 MB kept alive through a 64 MB heap in well under a second per
            // worker, faster than any watch that samples the heap could act on; only the checkpoint can.
            TaskResult result = fixture.orchestrator().run(growing(64, Map.of("sleepMs", "0")));

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            long expected = 0;
            for (long step = 0; step < 320; step++) {
                expected += step * step;
            }
            assertThat(result.outcome().resultJson()).isEqualTo("{\"steps\":320,\"sum\":" + expected + "}");
            TaskRecord task = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            assertThat(task.rotations()).isGreaterThanOrEqualTo(4);
            assertThat(task.attempts()).isEqualTo(task.rotations() + 1);
            assertThat(fixture.orchestrator().supervisor().stats().outOfMemory()).isZero();
        }
    }

    @Test
    void a_worker_killed_mid_task_continues_from_the_last_checkpoint_in_a_new_worker() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            CompletableFuture<TaskResult> running = fixture.orchestrator().submit(
                    growing(128, Map.of("steps", "40", "mbPerStep", "0", "sleepMs", "50")));
            TaskRecord task = await().atMost(Duration.ofSeconds(30)).until(
                    () -> fixture.orchestrator().store().recentTasks(1).get(0),
                    t -> t.pid() != null && fixture.orchestrator().store().latestCheckpoint(t.id())
                            .map(state -> Integer.parseInt(state.split(",")[0]) >= 5).orElse(false));

            ProcessHandle.of(task.pid()).orElseThrow().destroyForcibly();
            TaskResult result = running.get();

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            long expected = 0;
            for (long step = 0; step < 40; step++) {
                expected += step * step;
            }
            assertThat(result.outcome().resultJson()).isEqualTo("{\"steps\":40,\"sum\":" + expected + "}");
            TaskRecord ended = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            assertThat(ended.attempts()).isEqualTo(2);
            assertThat(ended.rotations()).isZero();
            assertThat(ended.pid()).isNotEqualTo(task.pid());
        }
    }

    @Test
    void an_agent_that_never_checkpoints_keeps_the_plain_behaviour() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            TaskRequest request = TaskRequest.builder("Implement an echo", javaAgent(EchoAgent.class)).complexity(0.8)
                    .workDir(home).limits(TaskLimits.of(64, Duration.ofMinutes(1))).build();
            TaskResult result = fixture.orchestrator().run(request);

            TaskRecord task = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            assertThat(task.attempts()).isEqualTo(1);
            assertThat(fixture.orchestrator().store().latestCheckpoint(task.id())).isEmpty();
        }
    }
}
