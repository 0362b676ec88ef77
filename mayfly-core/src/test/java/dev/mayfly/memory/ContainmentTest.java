package dev.mayfly.memory;

import static dev.mayfly.support.TestSettings.alive;
import static dev.mayfly.support.TestSettings.longTask;
import static dev.mayfly.support.TestSettings.marked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.config.Settings;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.EventRecord;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestPrograms;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.FailureReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A grandchild that leaves the task's tree (setsid, then a second fork: re-parented to init) is
 * found by the task's mark and ended with the task, and counted as escaped.
 */
class ContainmentTest {

    @TempDir
    Path home;

    private Path pidFile;

    @AfterEach
    void endTheGrandchildIfATestFailed() throws Exception {
        TestPrograms.endProcessIn(pidFile);
    }

    /** In a worker and in-process: ended at the timeout (its parent sleeps), or with its tree at the cap (its parent allocates). */
    static Stream<Arguments> ends() {
        return Stream.of(
                Arguments.of(true, 0, Duration.ofSeconds(3), FailureReason.TIMED_OUT),
                Arguments.of(false, 0, Duration.ofSeconds(3), FailureReason.TIMED_OUT),
                Arguments.of(true, 1024, Duration.ofMinutes(2), FailureReason.OUT_OF_MEMORY),
                Arguments.of(false, 1024, Duration.ofMinutes(2), FailureReason.OUT_OF_MEMORY));
    }

    @ParameterizedTest(name = "workers {0}, ended {3}")
    @MethodSource("ends")
    void a_detached_grandchild_is_ended_with_its_task_and_counted_as_escaped(boolean workers, int allocateMb,
            Duration timeout, FailureReason reason) throws Exception {
        Settings settings = TestSettings.workersOn(home, "USE_WORKERS", Boolean.toString(workers), "MAYFLY_MEMORY_MB", "512");
        pidFile = home.resolve("grandchild.pid");
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult result = fixture.orchestrator().run(longTask(settings,
                    TestPrograms.agent(TestPrograms.python("detach.py", pidFile, allocateMb, 600)), home, timeout));

            assertThat(result.outcome().reason()).as("%s", result.outcome()).isEqualTo(reason);
            long grandchild = Long.parseLong(Files.readString(pidFile).trim());
            await().atMost(Duration.ofSeconds(10)).until(() -> !alive(grandchild) && marked(result.taskId()).isEmpty());
            assertEscapedCounted(fixture, result.taskId(), grandchild);
        }
    }

    private static void assertEscapedCounted(OrchestratorFixture fixture, String taskId, long grandchild) {
        List<AttemptRecord> attempts = fixture.orchestrator().store().attempts().attempts(taskId);
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).escaped()).isEqualTo(1);
        EventRecord escaped = fixture.orchestrator().store().events(taskId).stream()
                .filter(event -> event.type().equals("escaped_processes")).findFirst().orElseThrow();
        assertThat(escaped.dataJson()).contains("\"count\":1", "\"" + grandchild + " python3 -c");
    }
}
