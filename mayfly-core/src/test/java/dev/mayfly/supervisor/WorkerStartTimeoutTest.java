package dev.mayfly.supervisor;

import static dev.mayfly.support.TestSettings.longTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.Settings;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.NewTask;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.Settlement;
import dev.mayfly.task.TaskOutcome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's timeout counts from its worker's start: a worker JVM that never connects cannot outlast it. */
class WorkerStartTimeoutTest {

    @TempDir
    Path home;

    @Test
    void a_worker_stuck_before_it_connects_ends_at_the_tasks_timeout_not_the_connect_timeout() throws Exception {
        Settings settings = TestSettings.workersOn(home);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            Orchestrator orchestrator = fixture.orchestrator();
            SupervisorConfig usual = orchestrator.supervisor().config();
            // A real worker JVM held at its very start: HotSpot waits while the pause file exists, so the
            // worker never reaches the point where it connects (as one starved by a busy or swapping host).
            WorkerLauncher stalling = new WorkerLauncher(Path.of(System.getProperty("java.home"), "bin", "java"),
                    WorkerLauncher.workerClasspath(), List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+PauseAtStartup",
                            "-XX:PauseAtStartupFile=" + home.resolve("worker.paused")), settings.profile(), null);
            SupervisorConfig config = new SupervisorConfig(1, usual.queueCapacity(), usual.memoryReportInterval(),
                    usual.gracePeriod(), usual.warnPercent(), Duration.ofSeconds(60), stalling, usual.rotatePercent(),
                    usual.maxRotations(), usual.memory(), usual.retryDelay(), usual.taskLogMaxBytes(),
                    usual.sessionRotation(), usual.standby());
            try (Supervisor supervisor = new Supervisor(orchestrator.supervisorId(), config, orchestrator.store(),
                    fixture.log(), Clock.systemUTC())) {
                NewTask task = orchestrator.prepare(longTask(settings, AgentSpec.command(List.of("python3", "-c",
                        "print('never started')")), home, Duration.ofSeconds(2)), true, null);

                // Well before the 60 s the supervisor gives a worker to connect, which the timeout did not count.
                Settlement settled = supervisor.submit(task).get(40, TimeUnit.SECONDS);

                TaskOutcome outcome = settled.outcome();
                assertThat(outcome.reason()).as("%s", outcome).isEqualTo(FailureReason.TIMED_OUT);
                AttemptRecord attempt = orchestrator.store().attempts().attempts(task.id()).get(0);
                assertThat(attempt.pid()).isNotNull();
                await().atMost(Duration.ofSeconds(10)).until(() -> !TestSettings.alive(attempt.pid()));
                // A worker that never connected is a spawn that did not succeed.
                assertThat(supervisor.stats().spawned()).isEqualTo(1);
                assertThat(supervisor.stats().connected()).isZero();
            }
        }
    }
}
