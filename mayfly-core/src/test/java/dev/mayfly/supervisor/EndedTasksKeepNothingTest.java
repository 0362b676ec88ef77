package dev.mayfly.supervisor;

import static dev.mayfly.support.TestSettings.javaAgent;
import static dev.mayfly.support.TestSettings.longTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.Settings;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.TaskState;
import dev.mayfly.testagents.EchoAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supervisor that lives for days keeps nothing of the tasks that ended: their timeouts, cancelled
 * at their end, are gone from its timers at once (they stayed until their time would have come, each
 * holding its whole attempt: with the default ten minutes, every task of the last ten minutes).
 */
class EndedTasksKeepNothingTest {

    @TempDir
    Path home;

    @Test
    void an_ended_task_s_timeout_is_not_kept() throws Exception {
        Settings settings = TestSettings.workersOn(home);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            // A Java agent, and a Python program under its worker (what most tasks run).
            for (AgentSpec agent : List.of(javaAgent(EchoAgent.class), javaAgent(EchoAgent.class),
                    AgentSpec.command(List.of("python3", "-c", "print('done')")))) {
                assertThat(fixture.orchestrator().run(longTask(settings, agent, home, Duration.ofHours(1))).outcome()
                        .state()).isEqualTo(TaskState.COMPLETED);
            }

            assertThat(fixture.orchestrator().supervisor().pendingTimers()).isZero();
        }
    }
}
