package dev.mayfly.memory;

import static dev.mayfly.support.TestSettings.longTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.Settings;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.SessionAgent;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A command agent that keeps its own session (programs/session-agent.js: Node, its session in a
 * file, memory it never frees, a child command every fourth step, quiet between steps as while
 * waiting for a model) needs five times its process tree's cap. Past MAYFLY_ROTATE_PERCENT, at a
 * safe point, Mayfly stops it with SIGTERM and continues its session in a fresh process: it
 * completes with the uninterrupted result, every step once, never stopped while its child ran.
 */
class SessionRotationTest {

    private static final int STEPS = 40;
    private static final int MB_PER_STEP = 32;
    private static final int CAP_MB = 256;

    @TempDir
    Path home;

    private Settings settings(boolean workers) {
        // Node's own heap limit off: the tree's cap is what would end it.
        return TestSettings.workersOn(home, "USE_WORKERS", Boolean.toString(workers), "MAYFLY_MEMORY_MB",
                Integer.toString(CAP_MB), "MAYFLY_NODE_HEAP", "off", "MAYFLY_ROTATE_QUIET", "120ms");
    }

    /** A child command every fourth step, 500 ms of quiet after each step (a model thinking). */
    private static final List<String> AGENT = SessionAgent.line(List.of(), STEPS, MB_PER_STEP, 4, 500);

    /** What the agent prints when nothing stops it: a line per step, then its result. */
    private static List<String> uncappedOutput() {
        List<String> lines = new ArrayList<>();
        for (int step = 1; step <= STEPS; step++) {
            lines.add("step " + step);
        }
        lines.add(SessionAgent.result(STEPS));
        return lines;
    }

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void an_agent_needing_five_times_its_cap_completes_through_rotations_at_safe_points(boolean workers)
            throws Exception {
        Settings settings = settings(workers);
        AgentSpec resumable = SessionAgent.resumable(AGENT);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult result = fixture.orchestrator().run(longTask(settings, resumable, home, Duration.ofMinutes(4)));

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(result.outcome().resultJson()).contains(SessionAgent.result(STEPS));
            TaskRecord task = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            assertThat(task.rotations()).as("1,280 MB through a 256 MB cap").isGreaterThanOrEqualTo(4);
            List<AttemptRecord> attempts = fixture.orchestrator().store().attempts().attempts(result.taskId());
            assertThat(attempts).hasSize(task.rotations() + 1);
            assertThat(attempts.subList(1, attempts.size())).extracting(AttemptRecord::kind)
                    .containsOnly(AttemptRecord.Kind.ROTATION);
            assertThat(attempts.subList(0, attempts.size() - 1)).allSatisfy(attempt -> {
                assertThat(attempt.outcome()).isEqualTo("rotated");
                assertThat(attempt.error()).contains("at a safe point: no tool running");
            });
            assertThat(attempts).extracting(AttemptRecord::residentPeakMb).allSatisfy(peak ->
                    assertThat(peak).isLessThan(CAP_MB));

            List<String> trail = SessionAgent.trail(home);
            SessionAgent.assertEachStepOnce(trail, STEPS);
            assertThat(trail).filteredOn(line -> line.startsWith("continue ")).hasSize(task.rotations());
            // The log holds what an uncapped run prints, once, each later process's part marked.
            List<String> log = Files.readAllLines(home.resolve("runs").resolve(result.taskId()).resolve("task.log"));
            assertThat(log).filteredOn(line -> !line.startsWith("==== mayfly: attempt "))
                    .containsExactlyElementsOf(uncappedOutput());
            assertThat(log).filteredOn(line -> line.startsWith("==== mayfly: attempt ")).hasSize(task.rotations());
            // Each stop was a signal it heard (it saved its session), never while its child command ran.
            List<Integer> saved = new ArrayList<>();
            for (int i = 0; i < trail.size(); i++) {
                if (trail.get(i).startsWith("saved ")) {
                    saved.add(i);
                }
            }
            assertThat(saved).hasSize(task.rotations());
            for (int at : saved) {
                String lastChild = null;
                for (int i = at - 1; i >= 0 && lastChild == null; i--) {
                    lastChild = trail.get(i).startsWith("child ") ? trail.get(i) : null;
                }
                assertThat(lastChild == null || lastChild.endsWith(" end")).as("stopped at line %d of %s", at, trail)
                        .isTrue();
            }
        }
    }

    @Test
    void an_agent_that_is_never_at_a_safe_point_is_moved_anyway_past_the_forced_threshold() throws Exception {
        // A child process for the whole run: a tool runs at every look. (A child at every step was not enough:
        // a garbage collection of the growing agent between two children once looked like a safe point.)
        Settings settings = TestSettings.workersOn(home, "MAYFLY_MEMORY_MB", Integer.toString(CAP_MB), "MAYFLY_NODE_HEAP",
                "off", "MAYFLY_ROTATE_QUIET", "120ms", "MAYFLY_ROTATE_FORCE_PERCENT", "80");
        List<String> line = new ArrayList<>(SessionAgent.line(List.of(), 30, 8, 1, 0));
        line.add("--busy");
        AgentSpec resumable = SessionAgent.resumable(line);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult result = fixture.orchestrator().run(longTask(settings, resumable, home, Duration.ofMinutes(3)));

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            List<AttemptRecord> attempts = fixture.orchestrator().store().attempts().attempts(result.taskId());
            assertThat(attempts.size()).isGreaterThanOrEqualTo(2);
            assertThat(attempts.subList(0, attempts.size() - 1)).allSatisfy(attempt ->
                    assertThat(attempt.error()).contains("past MAYFLY_ROTATE_FORCE_PERCENT 80% with no safe point")
                            .endsWith("stopped anyway"));
            SessionAgent.assertEachStepOnce(SessionAgent.trail(home), 30);
        }
    }

    @Test
    void max_rotations_and_the_timeout_hold_across_the_processes() throws Exception {
        Settings oneRotation = TestSettings.workersOn(home, "USE_WORKERS", "false", "MAYFLY_MEMORY_MB",
                Integer.toString(CAP_MB), "MAYFLY_NODE_HEAP", "off", "MAYFLY_ROTATE_QUIET", "120ms",
                "MAYFLY_MAX_ROTATIONS", "1");
        try (OrchestratorFixture fixture = new OrchestratorFixture(oneRotation)) {
            TaskResult result = fixture.orchestrator().run(longTask(oneRotation, SessionAgent.resumable(AGENT), home,
                    Duration.ofMinutes(2)));

            assertThat(result.outcome().reason()).as("%s", result.outcome()).isEqualTo(FailureReason.OUT_OF_MEMORY);
            assertThat(result.outcome().error()).isEqualTo("the task moved to a fresh process 1 times "
                    + "(MAYFLY_MAX_ROTATIONS) and still needs more; raise --memory-mb");
            assertThat(fixture.orchestrator().store().attempts().attempts(result.taskId())).hasSize(2);
        }
        Settings settings = settings(false);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            // The whole job takes half a minute, each of its processes a few seconds: a timeout of ten
            // seconds for each process would never end it. Counted across them, it does. (Six seconds
            // once ended a starved first process, on a machine busy far beyond its two cores, before
            // it had grown to its first move.)
            TaskResult result = fixture.orchestrator().run(longTask(settings, SessionAgent.resumable(AGENT), home,
                    Duration.ofSeconds(10)));

            assertThat(result.outcome().reason()).as("%s", result.outcome()).isEqualTo(FailureReason.TIMED_OUT);
            assertThat(fixture.orchestrator().store().findTask(result.taskId()).orElseThrow().rotations()).isPositive();
        }
    }

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void the_same_agent_without_a_resume_command_ends_out_of_memory(boolean workers) throws Exception {
        Settings settings = settings(workers);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult result = fixture.orchestrator().run(longTask(settings, AgentSpec.command(AGENT), home,
                    Duration.ofMinutes(2)));

            assertThat(result.outcome().reason()).as("%s", result.outcome()).isEqualTo(FailureReason.OUT_OF_MEMORY);
            assertThat(fixture.orchestrator().store().findTask(result.taskId()).orElseThrow().rotations()).isZero();
            assertThat(SessionAgent.trail(home)).noneMatch(line -> line.startsWith("continue ") || line.startsWith("saved "));
        }
    }
}
