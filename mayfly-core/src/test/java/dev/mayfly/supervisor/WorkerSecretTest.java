package dev.mayfly.supervisor;

import static dev.mayfly.support.TestSettings.longTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.Settings;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.routing.Mode;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secret a worker proves itself with never reaches what runs in it. */
class WorkerSecretTest {

    @TempDir
    Path home;

    @Test
    void a_command_in_a_worker_sees_no_secret_in_its_environment() throws Exception {
        Settings settings = TestSettings.workersOn(home);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult result = fixture.orchestrator().run(longTask(settings,
                    AgentSpec.command(List.of("sh", "-c", "env; echo input=$(cat)")), home, Duration.ofMinutes(1)));

            assertThat(result.routing().mode()).isEqualTo(Mode.WORKER);
            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            String output = result.outcome().resultJson();
            assertThat(output).contains("MAYFLY_TASK_ID=" + result.taskId()).doesNotContain("SECRET");
            // The secret is 48 hex digits: no variable holds one.
            assertThat(output).doesNotContainPattern("=[0-9a-f]{48}\\\\n");
            assertThat(output).contains("input=Implement the test task");
        }
    }
}
