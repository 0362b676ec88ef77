package dev.mayfly.supervisor;

import static dev.mayfly.support.TestSettings.javaAgent;
import static dev.mayfly.support.TestSettings.longTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.Settings;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.FailureReason;
import dev.mayfly.testagents.EchoAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A task's exit code is its agent's own, the same in a worker and in-process, or null when it has none. */
class ExitCodeTest {

    @TempDir
    Path home;

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void a_command_s_own_exit_code_is_the_task_s_and_a_java_agent_has_none(boolean workers) throws Exception {
        Settings settings = TestSettings.workersOn(home, "USE_WORKERS", Boolean.toString(workers));
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult ok = fixture.orchestrator().run(longTask(settings, AgentSpec.command(List.of("true")), home,
                    Duration.ofMinutes(1)));
            TaskResult four = fixture.orchestrator().run(longTask(settings, AgentSpec.command(List.of("sh", "-c", "exit 4")),
                    home, Duration.ofMinutes(1)));
            TaskResult java = fixture.orchestrator().run(longTask(settings, javaAgent(EchoAgent.class), home,
                    Duration.ofMinutes(1)));

            assertThat(ok.outcome().exitCode()).isEqualTo(0);
            assertThat(four.outcome().exitCode()).isEqualTo(4);
            assertThat(java.outcome().exitCode()).isNull();
        }
    }

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void a_command_that_dies_of_sigint_was_interrupted_not_an_error(boolean workers) throws Exception {
        // Ctrl-C in a terminal reaches the agent's command too, which may die of it and be reported before
        // the supervisor's own stop says why: a batch under load recorded such a task as an error.
        // The command puts SIGINT back to its default first: a test run started in the background by a
        // shell without job control inherits it ignored, and `sh -c 'kill -INT $$'` then exits 0.
        Settings settings = TestSettings.workersOn(home, "USE_WORKERS", Boolean.toString(workers));
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult interrupted = fixture.orchestrator().run(longTask(settings, AgentSpec.command(List.of("python3", "-c",
                    "import os, signal; signal.signal(signal.SIGINT, signal.SIG_DFL); os.kill(os.getpid(), signal.SIGINT)")),
                    home, Duration.ofMinutes(1)));
            TaskResult failed = fixture.orchestrator().run(longTask(settings,
                    AgentSpec.command(List.of("sh", "-c", "exit 1")), home, Duration.ofMinutes(1)));

            assertThat(interrupted.outcome().reason()).isEqualTo(FailureReason.INTERRUPTED);
            assertThat(interrupted.outcome().exitCode()).isEqualTo(130);
            assertThat(failed.outcome().reason()).isEqualTo(FailureReason.ERROR);
        }
    }

    @Test
    void after_a_worker_fails_to_write_the_class_archive_no_other_worker_tries_again() throws Exception {
        Path jar = Files.createFile(home.resolve("worker.jar"));
        WorkerClassArchive archive = new WorkerClassArchive(home.resolve("cache"), jar.toString());
        List<String> first = archive.options();
        assertThat(WorkerClassArchive.writes(first)).isTrue();
        archive.writerStarted(42);

        archive.workerExited(42, 1);

        assertThat(archive.options()).isEmpty();
    }
}
