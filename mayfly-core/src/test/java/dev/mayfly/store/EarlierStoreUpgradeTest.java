package dev.mayfly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.time.Duration;
import java.time.Instant;
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

    @ParameterizedTest(name = "schema {0}")
    @ValueSource(ints = {4, 7})
    void an_earlier_store_is_upgraded_in_place_keeping_its_tasks_and_takes_new_ones(int version) throws Exception {
        Path file = copy("v" + version + "-workers.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(Migrations.currentVersion(connection)).as("the fixture's own version").isEqualTo(version);
        }

        try (SqliteTaskStore store = SqliteTaskStore.open(file)) {
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
            assertThat(store.batches().recentBatches(5)).isEmpty();
            assertThat(store.runs().recentRuns(5)).isEmpty();
        }
        // The event log stays append-only after the upgrade too.
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThatThrownBy(() -> connection.createStatement().executeUpdate("DELETE FROM events"))
                    .hasMessageContaining("events are append-only");
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
