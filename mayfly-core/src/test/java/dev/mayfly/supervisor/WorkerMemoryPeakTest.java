package dev.mayfly.supervisor;

import static dev.mayfly.support.TestSettings.javaAgent;
import static dev.mayfly.support.TestSettings.longTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.TaskState;
import dev.mayfly.testagents.PeakAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerMemoryPeakTest {

    @TempDir
    Path home;

    @Test
    void the_peak_is_the_highest_heap_reached_even_when_no_report_saw_it() throws Exception {
        // Reports every 10 s: none comes during this one-second task, so only the collection
        // listener can know that 64 MB were held for a moment.
        try (OrchestratorFixture fixture = new OrchestratorFixture(
                TestSettings.workersOn(home, "MAYFLY_MEMORY_REPORT_INTERVAL", "10s"))) {
            TaskResult result = fixture.orchestrator().run(
                    longTask(javaAgent(PeakAgent.class), home, Map.of(), Duration.ofMinutes(1)));

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(fixture.orchestrator().store().memorySamples(result.taskId())).isEmpty();
            assertThat(result.outcome().memoryPeakMb()).isGreaterThanOrEqualTo(64.0);
            assertThat(result.outcome().rssPeakMb()).isGreaterThanOrEqualTo(64.0);
        }
    }
}
