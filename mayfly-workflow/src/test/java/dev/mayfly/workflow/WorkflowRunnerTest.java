package dev.mayfly.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.config.Settings;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.RunStepRecord;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.testagents.EchoAgent;
import dev.mayfly.testagents.FailingAgent;
import dev.mayfly.testagents.SleepingAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflow runs with real worker JVMs and a real store. */
class WorkflowRunnerTest {

    @TempDir
    Path home;

    private static final String ECHO = "java:" + EchoAgent.class.getName();
    private static final String SLEEP = "java:" + SleepingAgent.class.getName();
    private static final String FAIL = "java:" + FailingAgent.class.getName();

    private Settings settings(String maxWorkers) {
        return TestSettings.workersOn(home, "MAYFLY_MAX_WORKERS", maxWorkers, "MAYFLY_CLASSPATH",
                TestSettings.testClasses().toString());
    }

    private RunOutcome run(Settings settings, String yaml, String prompt) throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            Workflow workflow = new WorkflowLoader(settings).load("test.yaml", yaml);
            WorkflowRunner runner = new WorkflowRunner(fixture.orchestrator(),
                    fixture.orchestrator().store().runs(), fixture.log(), Clock.systemUTC());
            return runner.start(workflow, new RunRequest(prompt, Map.of("who", "you"), 0.8, null, home));
        }
    }

    private Map<String, RunStepRecord> steps(RunOutcome outcome) {
        return outcome.steps().stream().collect(Collectors.toMap(RunStepRecord::stepId, Function.identity()));
    }

    private List<TaskRecord> tasks() {
        try (JdbcTaskStore store = SqliteStore.open(home.resolve("workers.db"))) {
            return store.recentTasks(100);
        }
    }

    @Test
    void steps_run_in_dependency_order_and_templates_pass_one_step_s_result_to_the_next() throws Exception {
        String yaml = String.join("\n", "name: chain", "steps:",
                "  - id: first", "    agent: " + ECHO, "    prompt: 'hello {{params.who}}'",
                "  - id: second", "    agent: " + ECHO, "    needs: [first]", "    prompt: 'heard: {{steps.first.result.echo}}'",
                "");

        RunOutcome outcome = run(settings("2"), yaml, "Implement a chain");

        assertThat(outcome.state()).isEqualTo(RunRecord.State.COMPLETED);
        Map<String, RunStepRecord> steps = steps(outcome);
        assertThat(steps.get("second").resultJson()).contains("\"echo\":\"heard: hello you\"");
        assertThat(steps.get("first").finishedAt()).isBeforeOrEqualTo(steps.get("second").startedAt());
        assertThat(outcome.folder().resolve("second/result.json")).exists();
        assertThat(outcome.folder().resolve("second/task.log")).exists();
        assertThat(Files.readString(outcome.summary())).contains("# Run " + outcome.runId() + ": completed",
                "| `second` | first | completed | 1 |", "heard: hello you");
    }

    private static final String TWO_SLEEPERS = String.join("\n", "name: pair", "steps:",
            "  - id: left", "    agent: " + SLEEP, "    params: {millis: 1200, holdMb: 1}",
            "  - id: right", "    agent: " + SLEEP, "    params: {millis: 1200, holdMb: 1}", "");

    @Test
    void independent_steps_overlap_when_the_pool_allows() throws Exception {
        Map<String, RunStepRecord> steps = steps(run(settings("2"), TWO_SLEEPERS, "Implement a pair"));

        RunStepRecord left = steps.get("left");
        RunStepRecord right = steps.get("right");
        assertThat(left.startedAt()).isBefore(right.finishedAt());
        assertThat(right.startedAt()).isBefore(left.finishedAt());
    }

    @Test
    void independent_steps_take_turns_when_the_pool_has_one_slot() throws Exception {
        run(settings("1"), TWO_SLEEPERS, "Implement a pair");

        List<TaskRecord> tasks = tasks();
        assertThat(tasks).hasSize(2);
        TaskRecord later = tasks.get(0).startedAt().isAfter(tasks.get(1).startedAt()) ? tasks.get(0) : tasks.get(1);
        TaskRecord earlier = later == tasks.get(0) ? tasks.get(1) : tasks.get(0);
        assertThat(later.startedAt()).isAfterOrEqualTo(earlier.finishedAt());
    }

    private static final String BROKEN = String.join("\n", "name: broken", "steps:",
            "  - id: build", "    agent: AGENT",
            "  - id: deploy", "    agent: " + ECHO, "    needs: [build]",
            "  - id: announce", "    agent: " + ECHO, "    needs: [deploy]",
            "  - id: docs", "    agent: " + ECHO, "");

    @Test
    void a_failed_step_stops_the_steps_that_need_it_and_only_those() throws Exception {
        RunOutcome outcome = run(settings("2"), BROKEN.replace("AGENT", FAIL), "Implement a release");

        assertThat(outcome.state()).isEqualTo(RunRecord.State.FAILED);
        assertThat(outcome.failedStep()).isEqualTo("build");
        Map<String, RunStepRecord> steps = steps(outcome);
        assertThat(steps.get("build").state()).isEqualTo(RunStepRecord.State.FAILED);
        assertThat(steps.get("build").error()).isEqualTo("error: java.lang.IllegalStateException: the agent failed on purpose");
        assertThat(steps.get("deploy").state()).isEqualTo(RunStepRecord.State.SKIPPED);
        assertThat(steps.get("announce").state()).isEqualTo(RunStepRecord.State.SKIPPED);
        assertThat(steps.get("announce").error()).isEqualTo("needs 'deploy', which did not complete");
        assertThat(steps.get("docs").state()).isEqualTo(RunStepRecord.State.COMPLETED);
        assertThat(Files.readString(outcome.summary())).contains(": failed at step `build`");
    }

    @Test
    void resume_runs_again_only_the_steps_that_did_not_complete() throws Exception {
        Settings settings = settings("2");
        RunOutcome failed = run(settings, BROKEN.replace("AGENT", FAIL), "Implement a release");
        String docsTask = steps(failed).get("docs").taskId();

        RunOutcome resumed;
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            var runs = fixture.orchestrator().store().runs();
            Workflow fixed = new WorkflowLoader(settings).load("test.yaml", BROKEN.replace("AGENT", ECHO));
            resumed = new WorkflowRunner(fixture.orchestrator(), runs, fixture.log(), Clock.systemUTC())
                    .resume(runs.findRun(failed.runId()).orElseThrow(), fixed, null);
        }

        assertThat(resumed.state()).isEqualTo(RunRecord.State.COMPLETED);
        Map<String, RunStepRecord> steps = steps(resumed);
        assertThat(steps.get("docs").taskId()).as("a completed step is not run again").isEqualTo(docsTask);
        assertThat(steps.get("docs").attempt()).isEqualTo(1);
        assertThat(steps.get("build").attempt()).isEqualTo(2);
        assertThat(steps.get("deploy").attempt()).isEqualTo(1);
        assertThat(tasks()).hasSize(2 + 3);
        assertThat(resumed.folder().resolve("build.2/result.json")).exists();
    }
}
