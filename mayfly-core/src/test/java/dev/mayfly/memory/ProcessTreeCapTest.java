package dev.mayfly.memory;

import static dev.mayfly.support.TestSettings.alive;
import static dev.mayfly.support.TestSettings.longTask;
import static dev.mayfly.support.TestSettings.marked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.config.Settings;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.routing.Mode;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestPrograms;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole process tree's cap, with real Python and Node programs, in a worker and in-process. */
class ProcessTreeCapTest {

    @TempDir
    Path home;

    private Settings settings(boolean workers, String... more) {
        String[] overrides = new String[more.length + 2];
        overrides[0] = "USE_WORKERS";
        overrides[1] = Boolean.toString(workers);
        System.arraycopy(more, 0, overrides, 2, more.length);
        return TestSettings.workersOn(home, overrides);
    }

    private static void assertGone(String taskId, long... pids) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (long pid : pids) {
                assertThat(alive(pid)).as("pid %d", pid).isFalse();
            }
            assertThat(marked(taskId)).as("processes still carrying the task's mark").isEmpty();
        });
    }

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void a_python_program_touching_1_5_gb_under_a_512_mb_cap_ends_out_of_memory_naming_it(boolean workers)
            throws Exception {
        Settings settings = settings(workers, "MAYFLY_MEMORY_MB", "512");
        Path pidFile = home.resolve("python.pid");
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult result = fixture.orchestrator().run(longTask(settings,
                    TestPrograms.agent(TestPrograms.python("allocate.py", 1536, 400, 0, pidFile)), home,
                    Duration.ofMinutes(2)));

            assertThat(result.routing().mode()).isEqualTo(workers ? Mode.WORKER : Mode.IN_PROCESS);
            assertThat(result.outcome().reason()).as("%s", result.outcome()).isEqualTo(FailureReason.OUT_OF_MEMORY);
            assertThat(result.outcome().error())
                    .contains("past its memory cap of 512 MB")
                    .containsPattern("largest: python3 -c .*\\(pid " + Files.readString(pidFile).trim() + "\\) \\d+ MB");
            assertThat(result.outcome().residentPeakMb()).isGreaterThanOrEqualTo(512);
            assertThat(result.outcome().memoryCapMb()).isEqualTo(512);
            TaskRecord task = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            assertThat(task.residentPeakMb()).isGreaterThanOrEqualTo(512.0);
            assertThat(task.memoryCapMb()).isEqualTo(512);
            List<EventRecord> events = fixture.orchestrator().store().events(result.taskId());
            assertThat(events).extracting(EventRecord::type).contains("memory_cap", "resident_memory_warning",
                    "memory_exceeded");
            assertThat(events.stream().filter(event -> event.type().equals("memory_cap")).findFirst().orElseThrow()
                    .dataJson()).contains("\"capMb\":512", "watched");
            long python = Long.parseLong(Files.readString(pidFile).trim());
            assertGone(result.taskId(), python);
        }
    }

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void three_processes_of_200_mb_each_under_a_512_mb_cap_are_ended_as_one_job(boolean workers) throws Exception {
        Settings settings = settings(workers, "MAYFLY_MEMORY_MB", "512");
        Path pidFile = home.resolve("tree.pids");
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult result = fixture.orchestrator().run(longTask(settings,
                    TestPrograms.agent(TestPrograms.python("tree.py", 3, 200, pidFile)), home, Duration.ofMinutes(2)));

            assertThat(result.outcome().reason()).as("%s", result.outcome()).isEqualTo(FailureReason.OUT_OF_MEMORY);
            assertThat(result.outcome().error()).contains("past its memory cap of 512 MB");
            long[] pids = Arrays.stream(Files.readString(pidFile).trim().split(" ")).mapToLong(Long::parseLong).toArray();
            assertThat(pids).hasSize(4);
            assertGone(result.taskId(), pids);
        }
    }

    @ParameterizedTest(name = "node heap flag {0}")
    @ValueSource(strings = {"auto", "off"})
    void a_node_program_allocating_without_bound_ends_out_of_memory(String nodeHeap) throws Exception {
        Settings settings = settings(true, "MAYFLY_MEMORY_MB", "512", "MAYFLY_NODE_HEAP", nodeHeap);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult result = fixture.orchestrator().run(longTask(settings,
                    TestPrograms.agent(TestPrograms.node("grow.js")), home, Duration.ofMinutes(2)));

            assertThat(result.outcome().reason()).as("%s", result.outcome()).isEqualTo(FailureReason.OUT_OF_MEMORY);
            TaskRecord task = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            String log = Files.readString(Path.of(task.logPath()));
            if (nodeHeap.equals("auto")) {
                // Node stopped itself at the heap limit derived from the cap (60 % of 512 MB), with its own words.
                assertThat(log).contains("JavaScript heap out of memory");
                assertThat(result.outcome().error()).contains("ran out of its own heap",
                        "NODE_OPTIONS=--max-old-space-size=307", "JavaScript heap out of memory");
                assertThat(fixture.orchestrator().store().events(result.taskId()).stream()
                        .filter(event -> event.type().equals("memory_cap")).findFirst().orElseThrow().dataJson())
                        .contains("\"nodeMaxOldSpaceMb\":307");
            } else {
                assertThat(log).doesNotContain("JavaScript heap out of memory");
                assertThat(result.outcome().error()).contains("past its memory cap of 512 MB").containsPattern(
                        "largest: node -e .*\\(pid \\d+\\)");
            }
            assertGone(result.taskId());
        }
    }

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void a_tree_below_its_cap_completes_with_its_true_peak_and_samples(boolean workers) throws Exception {
        Settings settings = settings(workers, "MAYFLY_MEMORY_MB", "1024");
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult baseline = fixture.orchestrator().run(longTask(settings,
                    TestPrograms.agent(TestPrograms.python("hold.py", 0, 1)), home, Duration.ofMinutes(1)));
            TaskResult holding = fixture.orchestrator().run(longTask(settings,
                    TestPrograms.agent(TestPrograms.python("hold.py", 300, 1)), home, Duration.ofMinutes(1)));
            TaskResult spiking = fixture.orchestrator().run(longTask(settings,
                    TestPrograms.agent(TestPrograms.python("hold.py", 0, 1.5, 300, 200)), home, Duration.ofMinutes(1)));

            assertThat(baseline.outcome().state()).as("%s", baseline.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(holding.outcome().state()).as("%s", holding.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(spiking.outcome().state()).as("%s", spiking.outcome()).isEqualTo(TaskState.COMPLETED);
            double base = baseline.outcome().residentPeakMb();
            assertThat(base).isPositive();
            assertThat(holding.outcome().residentPeakMb() - base).as("300 MB more than the baseline of %.1f MB", base)
                    .isBetween(270.0, 330.0);
            assertThat(spiking.outcome().residentPeakMb() - base).as("a 200 ms spike of 300 MB shows in the peak")
                    .isBetween(270.0, 330.0);
            assertThat(holding.outcome().memoryCapMb()).isEqualTo(1024);
            assertThat(fixture.orchestrator().store().memorySamples(holding.taskId()))
                    .as("samples of the tree every 100 ms")
                    .isNotEmpty()
                    .allSatisfy(sample -> assertThat(sample.residentMb()).isNotNull());
        }
    }
}
