package dev.mayfly.cli;

import static dev.mayfly.support.TestSettings.alive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.json.Json;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.RunStepRecord;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.store.TaskRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflows through the real CLI: runs, resume after kill -9, malformed files, the run tree. */
class WorkflowProcessTest {

    @TempDir
    Path workDir;

    private Path workflow(String name, String... lines) throws Exception {
        return Files.write(workDir.resolve(name), List.of(lines));
    }

    private Map<String, RunStepRecord> steps(String runId) {
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
            return store.runs().steps(runId).stream().collect(Collectors.toMap(RunStepRecord::stepId, Function.identity()));
        }
    }

    private List<RunRecord> runs() {
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
            return store.runs().recentRuns(10);
        }
    }

    private List<TaskRecord> tasks() {
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
            return store.recentTasks(100);
        }
    }


    @Test
    void resume_after_kill_9_of_the_supervisor_finishes_the_run_without_running_completed_steps_again() throws Exception {
        Path file = workflow("release.yaml",
                "name: release",
                "complexity: high",
                "steps:",
                "  - id: build",
                "    agent: \"command:sh -c 'echo built'\"",
                "  - id: deploy",
                "    needs: [build]",
                "    agent: \"command:sh -c 'test -f fixed || sleep 600; echo deployed'\"");
        Map<String, String> environment = Map.of("USE_WORKERS", "true", "MAYFLY_HEAP_MB", "64");
        String runId;
        try (MayflyProcess mayfly = MayflyProcess.start(workDir, environment, "run", "--workflow", file.toString(),
                "--prompt", "Ship it")) {
            RunStepRecord deploy = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                List<RunRecord> runs = runs();
                return runs.isEmpty() ? null : steps(runs.get(0).id()).get("deploy");
            }, step -> step != null && step.state() == RunStepRecord.State.RUNNING && step.taskId() != null
                    && tasks().stream().anyMatch(task -> task.id().equals(step.taskId()) && task.pid() != null));
            runId = deploy.runId();
            long worker = tasks().stream().filter(task -> task.id().equals(deploy.taskId())).findFirst().orElseThrow().pid();

            mayfly.process().destroyForcibly();
            mayfly.process().waitFor();
            await().atMost(Duration.ofSeconds(10)).until(() -> !alive(worker));
        }
        Files.writeString(workDir.resolve("fixed"), "the fix\n");

        MayflyProcess.Result resumed = MayflyProcess.run(workDir, environment, "resume", runId, "--json");

        assertThat(resumed.exitCode()).as(resumed.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(Json.readObject(resumed.stdout().trim())).containsEntry("status", "completed").containsEntry("runId", runId);
        Map<String, RunStepRecord> steps = steps(runId);
        assertThat(steps.get("build").attempt()).as("build completed before the kill and is not run again").isEqualTo(1);
        assertThat(steps.get("deploy").attempt()).isEqualTo(2);
        assertThat(steps.get("deploy").resultJson()).contains("deployed");
        assertThat(tasks().stream().filter(task -> task.prompt().equals("Ship it")).count())
                .as("one task for build, two for deploy (the interrupted one and the resumed one)").isEqualTo(3);
        assertThat(tasks()).anySatisfy(task -> assertThat(task.reason()).isNotNull()
                .satisfies(reason -> assertThat(reason.label()).isEqualTo("interrupted")));
        assertThat(resumed.stderr()).contains("Resuming run " + runId + ": 1 of 2 step(s) completed before and kept");

        // Status shows the run, and a task of it names its run and step: the interrupted deploy task too,
        // which the run's step no longer points to.
        String interrupted = tasks().stream().filter(task -> task.reason() != null
                && task.reason().label().equals("interrupted")).findFirst().orElseThrow().id();
        MayflyProcess.Result detail = MayflyProcess.run(workDir, Map.of(), "status", interrupted);
        assertThat(detail.stdout()).contains("run:       step 'deploy' of " + runId);
        MayflyProcess.Result detailJson = MayflyProcess.run(workDir, Map.of(), "status", "--json", interrupted);
        assertThat(Json.readObject(detailJson.stdout())).containsEntry("run", Map.of("runId", runId, "step", "deploy"));
        MayflyProcess.Result list = MayflyProcess.run(workDir, Map.of(), "status");
        assertThat(list.stdout()).contains("Workflow runs ('mayfly status RUN' shows one's steps):")
                .containsPattern(runId + " +completed +release +2/2 ");
    }

    @Test
    void resume_of_an_unknown_run_exits_2_and_writes_no_supervisor_and_no_log_line() throws Exception {
        MayflyProcess.Result first = MayflyProcess.run(workDir, Map.of(), "run", "--no-workers", "--prompt", "Say hi",
                "--", "echo", "hi");
        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCodes.OK);
        Path log = workDir.resolve(".mayfly/logs/orchestrator.log");
        String logBefore = Files.readString(log);
        long supervisorsBefore = supervisors();

        MayflyProcess.Result resumed = MayflyProcess.run(workDir, Map.of(), "resume", "run-nope");

        assertThat(resumed.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(resumed.stderr()).isEqualTo("mayfly: no run 'run-nope' in " + workDir.resolve(".mayfly/workers.db")
                + "; 'mayfly status' lists recent tasks and workflow runs\n");
        assertThat(Files.readString(log)).isEqualTo(logBefore);
        assertThat(supervisors()).isEqualTo(supervisorsBefore);
    }

    private long supervisors() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + workDir.resolve(".mayfly/workers.db"));
                ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM supervisors")) {
            return rows.getLong(1);
        }
    }

    @Test
    void ctrl_c_during_a_run_records_the_run_failed_with_its_step_interrupted_and_exits_130() throws Exception {
        Path file = workflow("slow.yaml",
                "name: slow",
                "complexity: high",
                "steps:",
                "  - id: wait",
                "    agent: \"command:sleep 600\"",
                "  - id: after",
                "    needs: [wait]",
                "    agent: probe");
        Map<String, String> environment = Map.of("USE_WORKERS", "true", "MAYFLY_HEAP_MB", "64", "MAYFLY_GRACE_PERIOD", "1s");
        try (MayflyProcess mayfly = MayflyProcess.start(workDir, environment, "run", "--workflow", file.toString(),
                "--prompt", "Wait a while")) {
            RunStepRecord wait = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                List<RunRecord> runs = runs();
                return runs.isEmpty() ? null : steps(runs.get(0).id()).get("wait");
            }, step -> step != null && step.state() == RunStepRecord.State.RUNNING && step.taskId() != null);

            new ProcessBuilder("kill", "-INT", Long.toString(mayfly.process().pid())).start().waitFor();
            MayflyProcess.Result result = mayfly.awaitExit();

            assertThat(result.exitCode()).isEqualTo(ExitCodes.INTERRUPTED);
            assertThat(result.stdout()).contains("failed at step 'wait'");
            RunRecord run = runs().get(0);
            assertThat(run.state()).isEqualTo(RunRecord.State.FAILED);
            Map<String, RunStepRecord> steps = steps(wait.runId());
            assertThat(steps.get("wait").error()).startsWith("interrupted");
            assertThat(steps.get("after").state()).isEqualTo(RunStepRecord.State.SKIPPED);
            assertThat(workDir.resolve(".mayfly/runs/" + run.id() + "/run-summary.md")).exists();
        }
    }

    @Test
    void a_malformed_workflow_is_reported_with_file_and_line_before_anything_runs() throws Exception {
        Path bad = workflow("bad.yaml",
                "name: bad",
                "steps:",
                "  - id: one",
                "    agent: probe",
                "    prompt: 'uses {{steps.two.result}}'",
                "  - id: two",
                "    agent: probe");

        MayflyProcess.Result check = MayflyProcess.run(workDir, Map.of(), "workflows", "check", bad.toString());
        MayflyProcess.Result run = MayflyProcess.run(workDir, Map.of(), "run", "--workflow", bad.toString(), "--prompt", "x");

        assertThat(check.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(check.stderr()).startsWith("mayfly: " + bad + ":3: step 'one' uses {{steps.two…}} without needing it");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).startsWith("mayfly: " + bad + ":3:");
        assertThat(Files.exists(workDir.resolve(".mayfly"))).as("nothing written").isFalse();
    }

    @Test
    void a_broken_project_workflow_stops_prompt_routing_with_its_file_and_line() throws Exception {
        Path projectWorkflows = Files.createDirectories(workDir.resolve(".mayfly/workflows"));
        Files.write(projectWorkflows.resolve("loop.yaml"), List.of("name: loop", "steps:",
                "  - id: a", "    agent: probe", "    needs: [b]", "  - id: b", "    agent: probe", "    needs: [a]"));

        MayflyProcess.Result list = MayflyProcess.run(workDir, Map.of(), "workflows");
        MayflyProcess.Result run = MayflyProcess.run(workDir, Map.of(), "run", "--prompt", "Say hello");

        assertThat(list.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(list.stdout()).contains("codebase-analysis", "implement");
        assertThat(list.stderr()).contains("loop.yaml:3: the steps' needs form a cycle: a → b → a");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).contains("loop.yaml:3: the steps' needs form a cycle");
        assertThat(Files.exists(workDir.resolve(".mayfly/workers.db"))).isFalse();
    }

    @Test
    void status_of_a_run_draws_its_steps_as_a_tree_with_their_states() throws Exception {
        Path file = workflow("tree.yaml",
                "name: tree",
                "steps:",
                "  - id: fetch",
                "    agent: \"command:sh -c 'exit 3'\"",
                "  - id: parse",
                "    needs: [fetch]",
                "    agent: probe",
                "  - id: lint",
                "    agent: probe");
        MayflyProcess.Result run = MayflyProcess.run(workDir, Map.of(), "run", "--json", "--workflow", file.toString(),
                "--prompt", "Check things");
        String runId = Json.readObject(run.stdout().trim()).get("runId").toString();

        MayflyProcess.Result status = MayflyProcess.run(workDir, Map.of(), "status", runId);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(status.stdout()).contains("Run " + runId + ": failed at step 'fetch' (workflow tree, 3 steps)");
        assertThat(status.stdout()).containsPattern("\\n  fetch +failed +task-\\S+ \\(attempt 1\\)  error: sh exited with code 3");
        assertThat(status.stdout()).containsPattern("\\n  └─ parse +skipped +needs 'fetch', which did not complete");
        assertThat(status.stdout()).containsPattern("\\n  lint +completed +task-");
        assertThat(Files.readString(workDir.resolve(".mayfly/runs/" + runId + "/run-summary.md")))
                .contains("failed at step `fetch`", "| `parse` | fetch | skipped |");
        Map<String, Object> json = Json.readObject(MayflyProcess.run(workDir, Map.of(), "status", runId, "--json").stdout());
        assertThat(json).containsEntry("runId", runId).containsEntry("status", "failed").containsEntry("failedStep", "fetch");
        assertThat(json.get("steps").toString()).contains("id=parse, status=skipped", "id=lint, status=completed");
    }

    @Test
    void a_workflow_whose_steps_use_the_default_agent_needs_mayfly_agent() throws Exception {
        MayflyProcess.Result run = MayflyProcess.run(workDir, Map.of(), "run", "--prompt", "Implement the login page");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).startsWith("mayfly: workflow implement: step(s) plan, change, review use your default "
                + "agent, and MAYFLY_AGENT is not set");
    }
}
