package dev.mayfly.supervisor;

import static dev.mayfly.support.TestSettings.javaAgent;
import static dev.mayfly.support.TestSettings.longTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.log.LogFormat;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.routing.Mode;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskState;
import dev.mayfly.testagents.AllocatingAgent;
import dev.mayfly.testagents.EchoAgent;
import dev.mayfly.testagents.ExitSevenAgent;
import dev.mayfly.testagents.FailingAgent;
import dev.mayfly.testagents.HaltAgent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerFailureCausesTest {

    @TempDir
    Path home;

    private Orchestrator orchestrator;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        var settings = TestSettings.workersOn(home);
        OrchestratorLog log = new OrchestratorLog(settings.logFile(), new PrintStream(console, true), LogFormat.TEXT,
                Clock.systemUTC());
        orchestrator = Orchestrator.start(settings, log, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        orchestrator.close();
    }

    private TaskResult run(Class<?> agent) {
        return orchestrator.run(longTask(javaAgent(agent), home, Map.of(), Duration.ofMinutes(2)));
    }

    @Test
    void a_java_agent_completes_in_a_worker_jvm_with_its_result_stored() {
        TaskResult result = run(EchoAgent.class);

        assertThat(result.routing().mode()).isEqualTo(Mode.WORKER);
        assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
        assertThat(result.outcome().resultJson()).contains("\"echo\":\"Implement the test task\"");
        TaskRecord stored = orchestrator.store().findTask(result.taskId()).orElseThrow();
        assertThat(stored.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(stored.pid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(result.outcome().resultJson()).contains("\"pid\":" + stored.pid());
        assertThat(stored.memoryPeakMb()).isPositive();
        assertThat(stored.routingReason()).contains("long-running keyword 'implement'");
        assertThat(console.toString()).contains("[Orchestrator Entry] Using worker pattern for long-running task");
    }

    @Test
    void an_agent_that_keeps_allocating_under_a_128_mb_cap_ends_out_of_memory_and_the_next_task_completes() {
        TaskResult oom = run(AllocatingAgent.class);

        assertThat(oom.outcome().state()).as("%s", oom.outcome()).isEqualTo(TaskState.FAILED);
        assertThat(oom.outcome().reason()).isEqualTo(FailureReason.OUT_OF_MEMORY);
        assertThat(oom.outcome().exitCode()).as("the JVM's, not the agent's").isNull();
        assertThat(oom.outcome().memoryPeakMb()).as("out of heap: the peak is at least the cap").isGreaterThanOrEqualTo(128.0);
        assertThat(oom.outcome().error()).startsWith("the worker ran out of heap (cap 128 MB; the JVM exited with code 3)");
        assertThat(run(EchoAgent.class).outcome().state()).isEqualTo(TaskState.COMPLETED);
        assertThat(orchestrator.supervisor().stats().outOfMemory()).isEqualTo(1);
        assertThat(orchestrator.supervisor().stats().completed()).isEqualTo(1);
    }

    @Test
    void system_exit_7_is_an_error_with_exit_code_7() {
        TaskResult result = run(ExitSevenAgent.class);

        assertThat(result.outcome().reason()).as("%s", result.outcome()).isEqualTo(FailureReason.ERROR);
        assertThat(result.outcome().exitCode()).isEqualTo(7);
        assertThat(result.outcome().error()).contains("System.exit(7)");
    }

    @Test
    void runtime_halt_without_a_result_is_a_crash() {
        TaskResult result = run(HaltAgent.class);

        assertThat(result.outcome().reason()).as("%s", result.outcome()).isEqualTo(FailureReason.CRASHED);
        assertThat(result.outcome().exitCode()).isEqualTo(1);
    }

    @Test
    void an_agent_that_throws_is_an_error_with_its_class_and_message_and_its_stack_trace_in_the_log() throws Exception {
        TaskResult result = run(FailingAgent.class);

        assertThat(result.outcome().reason()).as("%s", result.outcome()).isEqualTo(FailureReason.ERROR);
        assertThat(result.outcome().error()).isEqualTo("java.lang.IllegalStateException: the agent failed on purpose");
        TaskRecord task = orchestrator.store().findTask(result.taskId()).orElseThrow();
        assertThat(task.error()).isEqualTo("java.lang.IllegalStateException: the agent failed on purpose");
        assertThat(Files.readString(Path.of(task.logPath()))).contains("mayfly: the agent failed: "
                + "java.lang.IllegalStateException: the agent failed on purpose", "dev.mayfly.testagents.FailingAgent.run(FailingAgent.java:");
    }
}
