package dev.mayfly.memory;

import static dev.mayfly.support.TestSettings.javaAgent;
import static dev.mayfly.support.TestSettings.longTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.Settings;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestPrograms;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskState;
import dev.mayfly.testagents.HaltAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retries: what memory or a crash ended runs again, with more memory after out_of_memory; an error never. */
class RetryTest {

    @TempDir
    Path home;

    private Settings settings(boolean workers, String... more) {
        String[] overrides = new String[more.length + 6];
        System.arraycopy(new String[] {"USE_WORKERS", Boolean.toString(workers), "MAYFLY_RETRIES", "2",
            "MAYFLY_RETRY_DELAY", "100ms"}, 0, overrides, 0, 6);
        System.arraycopy(more, 0, overrides, 6, more.length);
        return TestSettings.workersOn(home, overrides);
    }

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void a_command_that_ran_out_of_memory_completes_on_its_second_attempt_with_half_as_much_again(boolean workers)
            throws Exception {
        Settings settings = settings(workers, "MAYFLY_MEMORY_MB", "400");
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            // 450 MB does not fit in 400 (with the worker JVM beside it, nor alone); it fits in 600.
            TaskResult result = fixture.orchestrator().run(longTask(settings,
                    TestPrograms.agent(TestPrograms.python("allocate.py", 452, 400)), home, Duration.ofMinutes(2)));

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(result.outcome().memoryCapMb()).isEqualTo(600);
            List<AttemptRecord> attempts = fixture.orchestrator().store().attempts().attempts(result.taskId());
            assertThat(attempts).extracting(AttemptRecord::kind)
                    .containsExactly(AttemptRecord.Kind.FIRST, AttemptRecord.Kind.RETRY);
            assertThat(attempts).extracting(AttemptRecord::outcome).containsExactly("out_of_memory", "completed");
            assertThat(attempts).extracting(AttemptRecord::memoryCapMb).containsExactly(400, 600);
            assertThat(attempts).extracting(AttemptRecord::heapMb)
                    .containsExactly(workers ? new Integer[] {128, 192} : new Integer[] {null, null});
            assertThat(attempts.get(0).residentPeakMb()).isGreaterThanOrEqualTo(400.0);
            assertThat(attempts.get(1).residentPeakMb()).as("more than the first cap, within the second")
                    .isGreaterThan(400.0).isLessThan(600.0);
            TaskRecord task = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            assertThat(task.attempts()).isEqualTo(2);
            assertThat(task.memoryCapMb()).isEqualTo(600);
            EventRecord retry = fixture.orchestrator().store().events(result.taskId()).stream()
                    .filter(event -> event.type().equals("retry_scheduled")).findFirst().orElseThrow();
            assertThat(retry.dataJson()).contains("\"nextAttempt\":2", "\"memoryCapMb\":600",
                    "retry 1 of 2 in", "after out_of_memory", "memory cap 400 → 600 MB");
        }
    }

    @Test
    void an_error_is_never_retried() throws Exception {
        Settings settings = settings(true);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult result = fixture.orchestrator().run(longTask(settings,
                    AgentSpec.command(List.of("sh", "-c", "exit 3")), home, Duration.ofMinutes(1)));

            assertThat(result.outcome().reason()).isEqualTo(FailureReason.ERROR);
            assertThat(fixture.orchestrator().store().attempts().attempts(result.taskId())).hasSize(1);
            assertThat(fixture.orchestrator().store().events(result.taskId())).extracting(EventRecord::type)
                    .doesNotContain("retry_scheduled");
        }
    }

    @Test
    void a_crash_is_retried_with_the_same_memory_until_the_retries_are_spent() throws Exception {
        Settings settings = settings(true);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult result = fixture.orchestrator().run(longTask(settings, javaAgent(HaltAgent.class), home,
                    Duration.ofMinutes(1)));

            assertThat(result.outcome().reason()).isEqualTo(FailureReason.CRASHED);
            List<AttemptRecord> attempts = fixture.orchestrator().store().attempts().attempts(result.taskId());
            assertThat(attempts).extracting(AttemptRecord::outcome).containsExactly("crashed", "crashed", "crashed");
            assertThat(attempts).extracting(AttemptRecord::heapMb).containsOnly(128);
            assertThat(attempts).extracting(AttemptRecord::memoryCapMb).containsOnly(attempts.get(0).memoryCapMb());
        }
    }
}
