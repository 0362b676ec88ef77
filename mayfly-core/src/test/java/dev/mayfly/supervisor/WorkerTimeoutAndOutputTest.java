package dev.mayfly.supervisor;

import static dev.mayfly.support.TestSettings.javaAgent;
import static dev.mayfly.support.TestSettings.longTask;
import static dev.mayfly.support.TestSettings.alive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.MemorySampleRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskState;
import dev.mayfly.testagents.ChattyAgent;
import dev.mayfly.testagents.HangingAgent;
import dev.mayfly.testagents.SleepingAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerTimeoutAndOutputTest {

    @TempDir
    Path home;


    @Test
    void a_command_that_starts_a_background_grandchild_and_hangs_times_out_and_leaves_no_process_behind() throws Exception {
        Path pidFile = home.resolve("grandchild.pid");
        AgentSpec hangs = AgentSpec.command(List.of("sh", "-c",
                "sleep 600 & echo $! > " + pidFile + "; echo started; sleep 600"));
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            TaskResult result = fixture.orchestrator().run(longTask(hangs, home, Map.of(), Duration.ofSeconds(2)));

            assertThat(result.outcome().state()).isEqualTo(TaskState.FAILED);
            assertThat(result.outcome().reason()).isEqualTo(FailureReason.TIMED_OUT);
            assertThat(fixture.orchestrator().supervisor().stats().timedOut()).isEqualTo(1);
            TaskRecord task = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            long grandchild = Long.parseLong(Files.readString(pidFile).trim());
            await().atMost(Duration.ofSeconds(10)).until(() -> !alive(task.pid()) && !alive(grandchild));
            assertThat(Files.readString(Path.of(task.logPath()))).contains("started");
        }
    }

    @Test
    void a_java_agent_that_ignores_cancel_is_killed_after_the_grace_period() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            TaskResult result = fixture.orchestrator().run(
                    longTask(javaAgent(HangingAgent.class), home, Map.of(), Duration.ofMillis(500)));

            assertThat(result.outcome().reason()).isEqualTo(FailureReason.TIMED_OUT);
            assertThat(result.outcome().exitCode()).as("not the agent's own: the supervisor killed it").isNull();
            assertThat(result.outcome().error()).isEqualTo("the task ran past its timeout and was stopped "
                    + "(the worker was killed: exit code 137, SIGKILL)");
            TaskRecord task = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            assertThat(alive(task.pid())).isFalse();
            assertThat(fixture.console()).contains("Stopping worker", "(timed_out): cancel sent, forced stop in 1000 ms");
        }
    }

    @Test
    void an_agent_that_writes_megabytes_to_stdout_and_stderr_completes_with_its_result_intact() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            TaskResult result = fixture.orchestrator().run(
                    longTask(javaAgent(ChattyAgent.class), home, Map.of("mb", "4"), Duration.ofMinutes(2)));

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(result.outcome().resultJson()).isEqualTo("{\"lines\":8192,\"done\":true}");
            TaskRecord task = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            // Everything the agent printed, including its fake "result" lines, is in the log, not the channel.
            assertThat(Files.size(Path.of(task.logPath()))).isGreaterThan(8L * 1024 * 1024);
        }
    }

    @Test
    void memory_reports_arrive_at_the_configured_interval_and_reach_the_store() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            TaskResult result = fixture.orchestrator().run(longTask(javaAgent(SleepingAgent.class), home,
                    Map.of("millis", "2000", "holdMb", "24"), Duration.ofMinutes(1)));

            List<MemorySampleRecord> samples = fixture.orchestrator().store().memorySamples(result.taskId());
            // 2 s at one report every 100 ms: about 20. A loaded machine may fall behind, never
            // ahead; the default (10 s) would give none, a missing pause thousands.
            assertThat(samples).hasSizeBetween(5, 22);
            long first = samples.get(0).at().toEpochMilli();
            long last = samples.get(samples.size() - 1).at().toEpochMilli();
            assertThat((last - first) / (samples.size() - 1)).isBetween(90L, 400L);
            MemorySampleRecord sample = samples.get(samples.size() / 2);
            assertThat(sample.sample().heapMax()).isEqualTo(128.0);
            assertThat(sample.sample().heapUsed()).isGreaterThan(24.0);
            assertThat(sample.sample().rss()).isGreaterThan(sample.sample().heapUsed());
            assertThat(sample.sample().heapUsedPercent())
                    .isCloseTo(100 * sample.sample().heapUsed() / 128.0, org.assertj.core.data.Offset.offset(0.1));
            // The result's peak is the true peak: at least every sampled value.
            double sampledPeak = samples.stream().mapToDouble(s -> s.sample().heapUsed()).max().orElseThrow();
            assertThat(result.outcome().memoryPeakMb()).isGreaterThanOrEqualTo(sampledPeak);
            assertThat(result.outcome().rssPeakMb()).isGreaterThanOrEqualTo(
                    samples.stream().mapToDouble(s -> s.sample().rss()).max().orElseThrow());
        }
    }

    @Test
    void a_heap_above_the_warning_threshold_raises_one_warning_event() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(
                TestSettings.workersOn(home, "MAYFLY_HEAP_WARN_PERCENT", "50"))) {
            TaskResult result = fixture.orchestrator().run(longTask(javaAgent(SleepingAgent.class), home,
                    Map.of("millis", "1000", "holdMb", "80"), Duration.ofMinutes(1)));

            assertThat(result.outcome().state()).isEqualTo(TaskState.COMPLETED);
            List<EventRecord> warnings = fixture.orchestrator().store().events(result.taskId()).stream()
                    .filter(event -> event.type().equals("memory_warning")).toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0).dataJson()).contains("\"thresholdPercent\":50");
            assertThat(fixture.console()).contains("WARN: Task " + result.taskId() + ": heap at");
        }
    }
}
