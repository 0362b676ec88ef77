package dev.mayfly.orchestrator;

import static dev.mayfly.support.TestSettings.javaAgent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mayfly.routing.Mode;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import dev.mayfly.testagents.EchoAgent;
import dev.mayfly.testagents.SleepingAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seeds' feature flag, singleton, routing, safe-default and cleanup cases, on a real store and real workers. */
class OrchestratorEntryTest {

    @TempDir
    Path home;

    private TaskRequest request(String prompt, double complexity, Class<?> agent, Map<String, String> params) {
        return TaskRequest.builder(prompt, javaAgent(agent)).params(params).complexity(complexity).workDir(home)
                .limits(TaskLimits.of(128, Duration.ofMinutes(1))).build();
    }

    @Test
    void workers_are_disabled_by_default_and_no_supervisor_is_created() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home, "USE_WORKERS", "false"))) {
            TaskResult result = fixture.orchestrator().run(request("Implement authentication", 0.8, EchoAgent.class, Map.of()));

            assertThat(result.routing().mode()).isEqualTo(Mode.IN_PROCESS);
            assertThat(result.outcome().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(result.outcome().resultJson()).contains("\"pid\":" + ProcessHandle.current().pid());
            assertThat(fixture.orchestrator().supervisorStarted()).isFalse();
            assertThat(fixture.console()).contains(
                    "[Orchestrator Entry] Worker pattern disabled (USE_WORKERS=false)",
                    "[Orchestrator Entry] Using legacy in-process execution (worker pattern disabled)",
                    "[Orchestrator Entry] Task " + result.taskId() + ": echoing (50%)");
        }
    }

    @Test
    void workers_enabled_send_a_long_task_to_a_worker_with_the_decision_stored() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            TaskResult result = fixture.orchestrator().run(request("Implement comprehensive auth", 0.5, EchoAgent.class, Map.of()));

            TaskRecord stored = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            assertThat(stored.mode()).isEqualTo(Mode.WORKER);
            assertThat(stored.longRunning()).isTrue();
            assertThat(stored.routingReason()).isEqualTo("long-running task: long-running keyword 'implement'");
            assertThat(stored.pid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(fixture.console()).contains("[Orchestrator Entry] Initializing worker supervisor",
                    "[Orchestrator Entry] Supervisor initialized successfully",
                    "[Orchestrator Entry] Using worker pattern for long-running task",
                    "[Orchestrator Entry] Worker spawned: ", "[Orchestrator Entry] Worker completed: " + result.taskId(),
                    "[Orchestrator Entry] Task " + result.taskId() + ": echoing (50%)");
            assertThat(fixture.orchestrator().store().events(result.taskId()))
                    .extracting(dev.mayfly.store.EventRecord::type).contains("task_queued", "task_running", "progress",
                            "task_completed");
        }
    }

    @Test
    void workers_enabled_keep_a_short_task_in_process_without_creating_the_supervisor() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            TaskResult result = fixture.orchestrator().run(request("Fix login button bug", 0.3, EchoAgent.class, Map.of()));

            assertThat(result.routing().mode()).isEqualTo(Mode.IN_PROCESS);
            assertThat(fixture.orchestrator().supervisorStarted()).isFalse();
            assertThat(fixture.console()).contains("Using legacy in-process execution (task is short-running");
        }
    }

    @Test
    void the_supervisor_is_one_instance_per_process_created_on_first_use() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            assertThat(fixture.orchestrator().supervisorStarted()).isFalse();
            var first = fixture.orchestrator().supervisor();
            assertThat(fixture.orchestrator().supervisor()).isSameAs(first);
            assertThat(first.id()).isEqualTo(fixture.orchestrator().supervisorId());
            assertThat(fixture.console().split("Initializing worker supervisor", -1)).hasSize(2);
        }
    }

    @Test
    void the_same_agent_gives_the_same_result_in_process_and_in_a_worker() throws Exception {
        TaskResult inProcess;
        TaskResult inWorker;
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            inProcess = fixture.orchestrator().run(request("Fix typo", 0.1, EchoAgent.class, Map.of("k", "v")));
            inWorker = fixture.orchestrator().run(request("Fix typo", 0.9, EchoAgent.class, Map.of("k", "v")));
        }
        assertThat(inProcess.routing().mode()).isEqualTo(Mode.IN_PROCESS);
        assertThat(inWorker.routing().mode()).isEqualTo(Mode.WORKER);
        assertThat(inProcess.outcome().resultJson().replaceAll("\"pid\":\\d+", ""))
                .isEqualTo(inWorker.outcome().resultJson().replaceAll("\"pid\":\\d+", ""));
    }

    @Test
    void cleanup_stops_running_workers_and_marks_their_tasks_interrupted() throws Exception {
        OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home));
        CompletableFuture<TaskResult> running = fixture.orchestrator().submit(
                request("Implement a long wait", 0.8, SleepingAgent.class, Map.of("millis", "60000")));
        JdbcTaskStore observer = SqliteStore.open(home.resolve("workers.db"));
        try {
            TaskRecord task = await().atMost(Duration.ofSeconds(30)).until(
                    () -> observer.recentTasks(1).get(0), t -> t.state() == TaskState.RUNNING && t.pid() != null);

            fixture.close();

            assertThat(running.get().outcome().reason()).isEqualTo(FailureReason.INTERRUPTED);
            assertThat(ProcessHandle.of(task.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            TaskRecord settled = observer.findTask(task.id()).orElseThrow();
            assertThat(settled.state()).isEqualTo(TaskState.FAILED);
            assertThat(settled.reason()).isEqualTo(FailureReason.INTERRUPTED);
            assertThat(fixture.console()).contains("Supervisor cleanup: stopping 1 worker(s)", "Cleanup complete: store closed");
            assertThatThrownBy(() -> fixture.orchestrator().supervisor()).isInstanceOf(IllegalStateException.class);
        } finally {
            observer.close();
        }
    }

    @Test
    void tasks_left_running_by_a_dead_supervisor_are_settled_as_interrupted_at_the_next_start() throws Exception {
        String taskId;
        try (OrchestratorFixture first = new OrchestratorFixture(TestSettings.workersOn(home))) {
            taskId = first.orchestrator().run(request("Fix typo", 0.1, EchoAgent.class, Map.of())).taskId();
        }
        // Pretend the task was left running by a supervisor whose process is gone (pid 2^22 + 1 is never used).
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve("workers.db"))) {
            connection.createStatement().executeUpdate("INSERT INTO supervisors (id, host, pid, started_at) "
                    + "SELECT 'supervisor-dead', host, 4194305, 0 FROM supervisors LIMIT 1");
            connection.createStatement().executeUpdate("UPDATE tasks SET state = 'running', reason = NULL, "
                    + "supervisor_id = 'supervisor-dead' WHERE id = '" + taskId + "'");
        }
        try (OrchestratorFixture second = new OrchestratorFixture(TestSettings.workersOn(home))) {
            TaskRecord settled = second.orchestrator().store().findTask(taskId).orElseThrow();
            assertThat(settled.state()).isEqualTo(TaskState.FAILED);
            assertThat(settled.reason()).isEqualTo(FailureReason.INTERRUPTED);
            assertThat(settled.error()).contains("supervisor-dead (pid 4194305 on ").contains(") is gone");
            assertThat(second.console()).contains("Settled 1 task(s) left running by a supervisor that is gone");
        }
    }

    @Test
    void a_supervisor_on_another_machine_is_gone_once_its_heartbeat_stops_and_not_before() throws Exception {
        String left;
        String kept;
        try (OrchestratorFixture first = new OrchestratorFixture(TestSettings.workersOn(home))) {
            left = first.orchestrator().run(request("Fix typo", 0.1, EchoAgent.class, Map.of())).taskId();
            kept = first.orchestrator().run(request("Fix typo", 0.1, EchoAgent.class, Map.of())).taskId();
        }
        // Two supervisors on a machine this one cannot look into: one beat a minute ago (every 10 s), one
        // two seconds ago. Their pids mean nothing here.
        long now = System.currentTimeMillis();
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + home.resolve("workers.db"))) {
            var statement = connection.createStatement();
            statement.executeUpdate("INSERT INTO supervisors (id, host, pid, started_at, heartbeat_at, heartbeat_interval_ms) "
                    + "VALUES ('supervisor-silent', 'another-machine', 77, 0, " + (now - 60_000) + ", 10000), "
                    + "('supervisor-beating', 'another-machine', 78, 0, " + (now - 2_000) + ", 10000)");
            statement.executeUpdate("UPDATE tasks SET state = 'running', reason = NULL, supervisor_id = 'supervisor-silent' "
                    + "WHERE id = '" + left + "'");
            statement.executeUpdate("UPDATE tasks SET state = 'running', reason = NULL, supervisor_id = 'supervisor-beating' "
                    + "WHERE id = '" + kept + "'");
        }
        try (OrchestratorFixture second = new OrchestratorFixture(TestSettings.workersOn(home))) {
            TaskRecord settled = second.orchestrator().store().findTask(left).orElseThrow();
            assertThat(settled.reason()).isEqualTo(FailureReason.INTERRUPTED);
            assertThat(settled.error()).contains("supervisor-silent (pid 77 on another-machine) is gone");
            assertThat(second.orchestrator().store().findTask(kept).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        }
    }

    @Test
    void the_supervisor_beats_its_heart_in_the_store_while_it_runs_and_is_marked_stopped_when_it_closes() throws Exception {
        String id;
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home, "MAYFLY_HEARTBEAT", "200ms"))) {
            id = fixture.orchestrator().supervisorId();
            var store = fixture.orchestrator().store();
            var started = store.findSupervisor(id).orElseThrow();
            assertThat(started.heartbeatInterval()).isEqualTo(Duration.ofMillis(200));
            // Registered with its start as its heartbeat; the first beat follows at once, and may come
            // before this read (a fresh-clone run read it 3 ms later).
            assertThat(started.heartbeatAt()).isAfterOrEqualTo(started.startedAt());

            await().atMost(Duration.ofSeconds(20)).until(() -> store.findSupervisor(id).orElseThrow().heartbeatAt()
                    .isAfter(started.startedAt().plusMillis(300)));
        }
        try (JdbcTaskStore store = SqliteStore.open(home.resolve("workers.db"))) {
            assertThat(store.findSupervisor(id).orElseThrow().stoppedAt()).isNotNull();
        }
    }
}
