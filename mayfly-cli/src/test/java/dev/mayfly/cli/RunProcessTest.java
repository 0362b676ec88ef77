package dev.mayfly.cli;

import static dev.mayfly.support.TestSettings.alive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.json.Json;
import dev.mayfly.log.LogFormat;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskState;
import dev.mayfly.testagents.HangingAgent;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mayfly run` and `mayfly validate` as real processes: outputs, exit statuses, signals. */
class RunProcessTest {

    @TempDir
    Path workDir;

    private Map<String, String> environment() {
        return Map.of("MAYFLY_GRACE_PERIOD", "1s", "MAYFLY_HEAP_MB", "128");
    }

    private String[] hangingTask() {
        return new String[] {"run", "--workers", "--prompt", "Implement a task that never ends",
            "--agent", "java:" + HangingAgent.class.getName(), "--classpath", TestSettings.testClasses().toString()};
    }

    /** Waits until the supervisor has a running task with its worker's pid, and returns it. */
    private TaskRecord awaitRunningTask() {
        Path db = workDir.resolve(".mayfly/workers.db");
        return await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (JdbcTaskStore store = SqliteStore.open(db)) {
                List<TaskRecord> tasks = store.recentTasks(1);
                return tasks.isEmpty() ? null : tasks.get(0);
            }
        }, task -> task != null && task.state() == TaskState.RUNNING && task.pid() != null);
    }

    private TaskRecord storedTask(String id) {
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
            return store.findTask(id).orElseThrow();
        }
    }


    @Test
    void run_with_json_prints_one_object_with_the_contract_fields() throws Exception {
        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of("USE_WORKERS", "true"),
                "run", "--json", "--prompt", "Implement hello", "--heap-mb", "64", "--", "sh", "-c", "echo hello $MAYFLY_PROMPT");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.OK);
        Map<String, Object> json = Json.readObject(result.stdout().trim());
        assertThat(json).containsKeys("taskId", "status", "reason", "mode", "exitCode", "executionTimeMs", "memoryPeakMb",
                "result", "error");
        assertThat(json).containsEntry("status", "completed").containsEntry("mode", "worker").containsEntry("exitCode", 0L);
        assertThat(json.get("result").toString()).contains("hello Implement hello");
        assertThat(result.stderr()).contains("[Orchestrator Entry] Using worker pattern for long-running task");
        // The log file has the same story as JSON lines in the seeds' shape.
        String firstLine = Files.readAllLines(workDir.resolve(".mayfly/logs/orchestrator.log")).get(0);
        assertThat(Json.readObject(firstLine)).containsKeys("timestamp", "level", "component", "supervisorId", "message");
    }

    @Test
    void a_failed_task_exits_1_and_a_json_console_log_is_json_lines() throws Exception {
        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of(), "run", "--log-format", "json",
                "--prompt", "Fix it", "--", "sh", "-c", "echo broken >&2; exit 4");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.stdout()).contains("failed: error", "Error: sh exited with code 4: broken");
        for (String line : result.stderr().strip().split("\n")) {
            assertThat(Json.readObject(line)).containsKeys("timestamp", "level", "component", "supervisorId", "message");
        }
    }

    @Test
    void a_default_agent_named_once_in_the_environment_is_used_when_none_is_given() throws Exception {
        MayflyProcess.Result result = MayflyProcess.run(workDir,
                Map.of("MAYFLY_AGENT", "command:sh -c 'echo \"default agent got: $MAYFLY_PROMPT\"'"),
                "run", "--prompt", "Update notes");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(result.stdout()).contains("default agent got: Update notes");
    }

    @Test
    void validate_passes_on_this_machine() throws Exception {
        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of(), "validate");

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(result.stdout()).contains("✅ Task classification: 9/9 cases", "✅ Worker round trip: task ",
                "ALL VALIDATIONS PASSED");
        // The check's probe tasks are not the user's: the store is there, with no task in it, and no folder is left.
        MayflyProcess.Result status = MayflyProcess.run(workDir, Map.of(), "status", "--json");
        assertThat(workDir.resolve(".mayfly/workers.db")).exists();
        assertThat((List<?>) Json.read(status.stdout())).isEmpty();
        try (Stream<Path> left = Files.list(workDir.resolve(".mayfly"))) {
            assertThat(left.map(path -> path.getFileName().toString())).noneMatch(name -> name.startsWith("validation-"));
        }
    }

    @Test
    void kill_9_of_the_supervisor_ends_its_worker_and_the_next_start_marks_the_task_interrupted() throws Exception {
        try (MayflyProcess mayfly = MayflyProcess.start(workDir, environment(), hangingTask())) {
            TaskRecord task = awaitRunningTask();

            mayfly.process().destroyForcibly();
            mayfly.process().waitFor();

            // The worker notices on its own that its supervisor is gone.
            await().atMost(Duration.ofSeconds(10)).until(() -> !alive(task.pid()));
            assertThat(storedTask(task.id()).state()).isEqualTo(TaskState.RUNNING);
            var settings = TestSettings.workersOn(workDir.resolve(".mayfly"));
            try (Orchestrator next = Orchestrator.start(settings, new OrchestratorLog(settings.logFile(),
                    new PrintStream(java.io.OutputStream.nullOutputStream()), LogFormat.TEXT, Clock.systemUTC()),
                    Clock.systemUTC())) {
                TaskRecord settled = next.store().findTask(task.id()).orElseThrow();
                assertThat(settled.state()).isEqualTo(TaskState.FAILED);
                assertThat(settled.reason()).isEqualTo(FailureReason.INTERRUPTED);
            }
        }
    }

    @Test
    void sigterm_stops_the_worker_marks_the_task_interrupted_and_exits_143_with_the_store_intact() throws Exception {
        try (MayflyProcess mayfly = MayflyProcess.start(workDir, environment(), hangingTask())) {
            TaskRecord task = awaitRunningTask();

            mayfly.process().destroy();
            MayflyProcess.Result result = mayfly.awaitExit();

            assertThat(result.exitCode()).isEqualTo(143);
            assertThat(alive(task.pid())).isFalse();
            TaskRecord settled = storedTask(task.id());
            assertThat(settled.state()).isEqualTo(TaskState.FAILED);
            assertThat(settled.reason()).isEqualTo(FailureReason.INTERRUPTED);
            assertThat(result.stderr()).contains("Supervisor cleanup: stopping 1 worker(s)", "Cleanup complete: store closed");
            assertIntact(workDir.resolve(".mayfly/workers.db"));
        }
    }

    @Test
    void ctrl_c_exits_130_with_the_task_interrupted() throws Exception {
        try (MayflyProcess mayfly = MayflyProcess.start(workDir, environment(), hangingTask())) {
            TaskRecord task = awaitRunningTask();

            new ProcessBuilder("kill", "-INT", Long.toString(mayfly.process().pid())).start().waitFor();
            MayflyProcess.Result result = mayfly.awaitExit();

            assertThat(result.exitCode()).isEqualTo(ExitCodes.INTERRUPTED);
            assertThat(alive(task.pid())).isFalse();
            assertThat(storedTask(task.id()).reason()).isEqualTo(FailureReason.INTERRUPTED);
            // The user is told how the task ended, though the JVM is shutting down.
            assertThat(result.stdout()).as(result.stderr()).contains("Task " + task.id() + " failed: interrupted");
        }
    }

    @Test
    void the_first_worker_writes_a_class_archive_that_later_workers_start_with() throws Exception {
        String[] probe = {"run", "--json", "--workers", "--heap-mb", "64", "--agent", "probe", "--prompt", "Implement a check"};
        MayflyProcess.Result first = MayflyProcess.run(workDir, Map.of(), probe);
        assertThat(first.exitCode()).isEqualTo(ExitCodes.OK);
        TaskRecord writer = storedTask(Json.readObject(first.stdout().trim()).get("taskId").toString());
        assertThat(Files.readString(Path.of(writer.logPath()))).as("the JVM's archive messages stay out of the task's log")
                .doesNotContain("[cds]");
        List<Path> archives;
        try (var files = Files.list(workDir.resolve(".mayfly/cache"))) {
            // The cache holds the SQLite driver's library too.
            archives = files.filter(file -> file.getFileName().toString().startsWith("worker-")).toList();
        }
        assertThat(archives).hasSize(1);
        assertThat(archives.get(0).getFileName().toString()).matches("worker-[0-9a-f]{16}\\.jsa");

        MayflyProcess.Result second = MayflyProcess.run(workDir, Map.of(), probe);

        assertThat(second.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(second.stdout()).contains("-XX:SharedArchiveFile=" + archives.get(0));
        TaskRecord task = storedTask(Json.readObject(second.stdout().trim()).get("taskId").toString());
        assertThat(Files.readString(Path.of(task.logPath()))).doesNotContain("[cds]");
    }

    @Test
    void a_prompt_asking_for_a_codebase_analysis_runs_the_codebase_analysis_workflow_in_a_worker() throws Exception {
        Path project = Files.createDirectories(workDir.resolve("project/src"));
        Files.writeString(project.resolve("App.java"), "class App {\n    // TODO: start\n}\n");

        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of("USE_WORKERS", "true"),
                "run", "--json", "--heap-mb", "128", "--prompt", "Analyze codebase for patterns", "--param", "path=project");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(result.stderr()).contains("Workflow: codebase-analysis (the prompt says 'Analyze codebase')",
                "Using worker pattern for long-running task");
        Map<String, Object> json = Json.readObject(result.stdout().trim());
        assertThat(json).containsEntry("mode", "worker").containsEntry("status", "completed")
                .containsEntry("workflow", "codebase-analysis").containsKeys("taskId", "runId", "steps", "summary");
        @SuppressWarnings("unchecked")
        Map<String, Object> analysis = (Map<String, Object>) json.get("result");
        assertThat(analysis).containsEntry("files", 1L).containsEntry("code", 2L).containsEntry("markers", 1L);
        Path report = Path.of(analysis.get("report").toString());
        assertThat(report).isEqualTo(workDir.resolve(".mayfly/runs/" + json.get("runId") + "/analyze/analysis.md"));
        assertThat(Files.readString(report)).contains("| Java | 1 | 2 | 1 | 0 | 3 |", "`src/App.java:2` // TODO: start");
        assertThat(report.resolveSibling("analysis.json")).exists();
        assertThat(Path.of(json.get("summary").toString())).exists();
    }

    private static void assertIntact(Path db) throws Exception {
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + db);
                ResultSet rows = connection.createStatement().executeQuery("PRAGMA integrity_check")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("ok");
        }
    }
}
