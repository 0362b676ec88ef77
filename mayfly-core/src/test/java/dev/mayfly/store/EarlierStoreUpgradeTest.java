package dev.mayfly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.routing.Classification;
import dev.mayfly.routing.Mode;
import dev.mayfly.routing.RoutingDecision;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stores that earlier Mayflys left behind (files in the test resources, {@code earlier/README.md}
 * says how each was made) open in this one: upgraded in place to the newest schema, their tasks and
 * events kept, and writable as a new store is.
 */
class EarlierStoreUpgradeTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @TempDir
    Path home;

    /** A server's queued task, as a store at schema 13 (before the store was the nodes' queue) kept it. */
    static final String[] SERVER_TASK_AT_13 = {
        "INSERT INTO supervisors (id, host, pid, started_at) VALUES ('server-old', 'host-a', 1, 0)",
        "INSERT INTO tasks (id, supervisor_id, prompt, agent, complexity, long_running, mode, routing_reason, state, "
                + "timeout_ms, work_dir, created_at, updated_at, origin, request) VALUES ('t-queued', 'server-old', "
                + "'Implement it', 'probe', 0.8, 1, 'worker', 'long-running', 'queued', 60000, '/tmp', 0, 0, 'server', "
                + "'{\"prompt\":\"Implement it\"}')"};

    @Test
    void a_server_s_task_queued_at_schema_13_stays_that_server_s_until_it_is_found_gone_then_any_node_claims_it()
            throws Exception {
        Path file = home.resolve("v13-workers.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            Migrations.apply(connection, "/dev/mayfly/store/sqlite", Migrations.FILES.subList(0, 13), Clock.systemUTC());
            for (String insert : SERVER_TASK_AT_13) {
                statement.execute(insert);
            }
        }

        try (JdbcTaskStore store = SqliteStore.open(file)) {
            assertThat(store.schemaVersion()).isEqualTo(Migrations.FILES.size());
            store.registerSupervisor(SupervisorRecord.starting("server-new", "host-a", 2, T0, T0, Duration.ofSeconds(1)));
            assertThat(store.claimNext("server-new", true, T0)).as("still its server's").isEmpty();

            store.settleOrphans(supervisor -> supervisor.id().equals("server-new"), T0);

            TaskStore.Claim claim = store.claimNext("server-new", true, T0).orElseThrow();
            assertThat(claim.task().id()).isEqualTo("t-queued");
            assertThat(claim.number()).as("its old server's was the first").isEqualTo(2);
            assertThat(claim.requestJson()).isEqualTo("{\"prompt\":\"Implement it\"}");
        }
    }

    @ParameterizedTest(name = "schema {0}")
    @ValueSource(ints = {4, 7, 9})
    void an_earlier_store_is_upgraded_in_place_keeping_its_tasks_and_takes_new_ones(int version) throws Exception {
        Path file = copy("v" + version + "-workers.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(Migrations.currentVersion(connection)).as("the fixture's own version").isEqualTo(version);
        }

        try (JdbcTaskStore store = SqliteStore.open(file)) {
            assertThat(store.schemaVersion()).isEqualTo(Migrations.FILES.size());
            TaskRecord old = store.findTask("task-old-1").orElseThrow();
            assertThat(old.state()).isEqualTo(TaskState.COMPLETED);
            assertThat(old.prompt()).isEqualTo("Implement the old task");
            assertThat(old.resultJson()).isEqualTo("{\"answer\":42}");
            assertThat(old.executionTimeMs()).isEqualTo(1500);
            assertThat(store.events("task-old-1")).extracting(EventRecord::type).contains("task_queued");
            assertThat(store.findSupervisor("supervisor-old")).isPresent();

            store.registerSupervisor(SupervisorRecord.starting("supervisor-new", "host-a", 1, T0, T0, Duration.ofSeconds(10)));
            store.createTask(new NewTask("task-new", "supervisor-new",
                    TaskRequest.builder("Implement a new one", AgentSpec.builtin("probe")).complexity(0.8).workDir(home)
                            .limits(TaskLimits.of(128, Duration.ofMinutes(1))).build(),
                    new RoutingDecision(Mode.WORKER, new Classification(true, 0.8, "long"), "long", true),
                    home.resolve("task-new.log"), T0));
            assertThat(store.markRunning("task-new", 7L, T0.plusSeconds(1))).isTrue();
            assertThat(store.finish("task-new", TaskOutcome.completed(0, 10, 1, 1, "{}"), T0.plusSeconds(2))).isTrue();
            assertThat(store.findTask("task-new").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            assertThat(store.batches().recentBatches(5)).hasSize(version == 9 ? 1 : 0);
            assertThat(store.runs().recentRuns(5)).hasSize(version == 9 ? 1 : 0);
        }
        // The event log stays append-only after the upgrade too.
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThatThrownBy(() -> connection.createStatement().executeUpdate("DELETE FROM events"))
                    .hasMessageContaining("events are append-only");
        }
    }

    /** Version 10 builds the runs, steps and batches tables again (to allow 'cancelled'): nothing of them is lost. */
    @Test
    void runs_their_steps_and_batches_of_schema_9_are_kept_through_the_rebuild_and_can_be_cancelled() throws Exception {
        Path file = copy("v9-workers.db");

        try (JdbcTaskStore store = SqliteStore.open(file)) {
            RunRecord run = store.runs().findRun("run-old-1").orElseThrow();
            assertThat(run.state()).isEqualTo(RunRecord.State.FAILED);
            assertThat(run.failedStep()).isEqualTo("b");
            assertThat(run.definition()).isEqualTo("name: review");
            assertThat(store.runs().steps("run-old-1")).extracting(RunStepRecord::stepId, RunStepRecord::state,
                    RunStepRecord::taskId, RunStepRecord::resultJson, RunStepRecord::error).containsExactly(
                    tuple("a", RunStepRecord.State.COMPLETED, "task-old-1", "{\"answer\":42}", null),
                    tuple("b", RunStepRecord.State.FAILED, "task-old-2", null, "error: boom"));
            assertThat(store.runs().stepOf("task-old-2")).contains(new RunStore.StepOfRun("run-old-1", "b"));
            assertThat(store.batches().findBatch("batch-old-1").orElseThrow().state())
                    .isEqualTo(BatchRecord.State.INTERRUPTED);
            assertThat(store.batches().lastTasks("batch-old-1")).extracting(BatchStore.LineTask::line,
                    BatchStore.LineTask::taskId, BatchStore.LineTask::state).containsExactly(
                    tuple(1, "task-old-3", TaskState.QUEUED), tuple(2, "task-old-4", TaskState.QUEUED));

            store.runs().restartRun("run-old-1", "supervisor-old", T0.plusSeconds(60));
            assertThat(store.runs().requestCancel("run-old-1", T0.plusSeconds(61))).isPresent();
            store.runs().runEnded("run-old-1", RunRecord.State.CANCELLED, null, T0.plusSeconds(62));
            store.batches().restartBatch("batch-old-1", "supervisor-old", List.of());
            assertThat(store.batches().requestCancel("batch-old-1", T0.plusSeconds(63))).isPresent();
            assertThat(store.cancelRequests("supervisor-old")).containsExactlyInAnyOrder("task-old-3", "task-old-4");
            store.batches().batchEnded("batch-old-1", BatchRecord.State.CANCELLED, T0.plusSeconds(64));
            assertThat(store.runs().findRun("run-old-1").orElseThrow().state()).isEqualTo(RunRecord.State.CANCELLED);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                ResultSet broken = connection.createStatement().executeQuery("PRAGMA foreign_key_check")) {
            assertThat(broken.next()).as("every reference still points at a row").isFalse();
        }
    }

    private Path copy(String fixture) throws IOException {
        Path file = home.resolve("workers.db");
        try (InputStream in = getClass().getResourceAsStream("earlier/" + fixture)) {
            assertThat(in).as(fixture).isNotNull();
            Files.copy(in, file);
        }
        return file;
    }
}
