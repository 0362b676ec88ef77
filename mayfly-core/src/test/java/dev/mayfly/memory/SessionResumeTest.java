package dev.mayfly.memory;

import static dev.mayfly.support.TestSettings.longTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.Settings;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.SessionAgent;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A command agent that keeps its own session (programs/session-agent.js, a Node program that
 * behaves like Claude Code or aider) dies of its own heap (Node's --max-old-space-size) again and
 * again; each retry continues its session with the resume command, so a job needing about four
 * times its heap completes, every step done once.
 */
class SessionResumeTest {

    private static final int STEPS = 40;

    @TempDir
    Path home;

    private Settings settings(boolean workers) {
        return TestSettings.workersOn(home, "USE_WORKERS", Boolean.toString(workers), "MAYFLY_RETRIES", "8",
                "MAYFLY_RETRY_DELAY", "100ms");
    }

    /** The agent: 40 steps of 4 MB kept for good under a 48 MB heap, a child command every 5th step. */
    private static final List<String> AGENT = SessionAgent.line(List.of("--max-old-space-size=48"), STEPS, 4, 5, 0);

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void an_agent_that_runs_out_of_its_own_heap_continues_its_session_on_each_retry_and_completes(boolean workers)
            throws Exception {
        Settings settings = settings(workers);
        AgentSpec resumable = SessionAgent.resumable(AGENT);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult result = fixture.orchestrator().run(longTask(settings, resumable, home, Duration.ofMinutes(3)));

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(result.outcome().resultJson()).contains(SessionAgent.result(STEPS));
            List<AttemptRecord> attempts = fixture.orchestrator().store().attempts().attempts(result.taskId());
            assertThat(attempts.size()).as("about four times its heap: several attempts").isGreaterThanOrEqualTo(3);
            assertThat(attempts).extracting(AttemptRecord::outcome).last().isEqualTo("completed");
            assertThat(attempts.subList(0, attempts.size() - 1)).extracting(AttemptRecord::outcome)
                    .containsOnly("out_of_memory");
            assertThat(attempts.subList(1, attempts.size())).extracting(AttemptRecord::kind)
                    .containsOnly(AttemptRecord.Kind.RETRY);

            List<String> trail = SessionAgent.trail(home);
            SessionAgent.assertEachStepOnce(trail, STEPS);
            assertThat(trail).filteredOn(line -> line.equals("start")).hasSize(1);
            assertThat(trail).filteredOn(line -> line.startsWith("continue ")).hasSize(attempts.size() - 1)
                    .allSatisfy(line -> assertThat(line).endsWith(" You were stopped"));
            // One log for every attempt, each later one opened by a line saying what it runs.
            List<String> log = Files.readAllLines(home.resolve("runs").resolve(result.taskId()).resolve("task.log"));
            assertThat(log).filteredOn(line -> line.startsWith("==== mayfly: attempt ")).hasSize(attempts.size() - 1)
                    .first().asString().startsWith("==== mayfly: attempt 2 (retry), continuing its session: node "
                            + "--max-old-space-size=48 -e ").endsWith(" 40 4 5 0 --continue ====");
            assertThat(log).filteredOn(line -> line.startsWith("step ")).hasSize(STEPS);
        }
    }

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void without_a_resume_command_each_retry_starts_over_and_the_task_runs_out_of_memory(boolean workers)
            throws Exception {
        Settings settings = TestSettings.workersOn(home, "USE_WORKERS", Boolean.toString(workers), "MAYFLY_RETRIES", "2",
                "MAYFLY_RETRY_DELAY", "100ms");
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult result = fixture.orchestrator().run(longTask(settings, AgentSpec.command(AGENT), home,
                    Duration.ofMinutes(3)));

            assertThat(result.outcome().reason()).as("%s", result.outcome()).isEqualTo(FailureReason.OUT_OF_MEMORY);
            assertThat(SessionAgent.trail(home)).filteredOn(line -> line.equals("start")).hasSize(3);
            assertThat(SessionAgent.trail(home)).noneMatch(line -> line.startsWith("continue "));
        }
    }
}
