package dev.mayfly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.config.StoreLocation;
import dev.mayfly.store.postgresql.EmbeddedDatabase;
import dev.mayfly.store.postgresql.PostgresStoreProvider;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The store contract against a real PostgreSQL (embedded), each test on a new database; and what only
 * this store has: Flyway's schema, and the way it is found and opened from {@code MAYFLY_STORE_URL}.
 */
class PostgresTaskStoreTest extends TaskStoreContract {

    /** Where the migrations are (PostgresStoreProvider's own constant is the module's, not this package's). */
    private static final String MIGRATIONS = "classpath:dev/mayfly/store/postgresql";

    private StoreLocation location;

    @Override
    protected TaskStore openStore(Path home) {
        location = EmbeddedDatabase.newDatabase();
        return new PostgresStoreProvider().open(location, Clock.systemUTC());
    }

    @Test
    void a_new_database_is_migrated_and_described_without_its_password() {
        assertThat(store.schemaVersion()).isEqualTo(migrationFiles());
        assertThat(store.describe()).startsWith("schema v" + migrationFiles() + ", PostgreSQL ")
                .contains(location.postgresUrl());
        assertThat(store.setupProblem()).isEmpty();
    }

    /** The migrations this module ships: the version a new database reaches. */
    private static int migrationFiles() {
        // Found beside the first, in the main classes' folder (the tests' folder has a package of that name too).
        Path first;
        try {
            first = Path.of(PostgresStoreProvider.class.getResource("V1__schema_of_sqlite_version_13.sql").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (var files = Files.list(first.getParent())) {
            return (int) files.filter(file -> file.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void opening_again_applies_no_migration_twice_and_the_stores_share_what_they_write() {
        create("t1");
        try (TaskStore second = Stores.open(location, Clock.systemUTC())) {
            assertThat(second.schemaVersion()).isEqualTo(migrationFiles());
            assertThat(second.findTask("t1")).isPresent();
        }
    }

    @Test
    void a_database_at_the_previous_version_migrates_and_its_server_s_queued_task_is_claimed_once_its_server_is_gone()
            throws Exception {
        StoreLocation earlier = EmbeddedDatabase.newDatabase();
        Flyway.configure().dataSource(earlier.postgresUrl(), earlier.user(), null).locations(MIGRATIONS).target("1").load()
                .migrate();
        try (Connection connection = DriverManager.getConnection(earlier.postgresUrl(), earlier.user(), null);
                Statement statement = connection.createStatement()) {
            for (String insert : EarlierStoreUpgradeTest.SERVER_TASK_AT_13) {
                statement.execute(insert);
            }
        }

        try (TaskStore upgraded = Stores.open(earlier, Clock.systemUTC())) {
            assertThat(upgraded.schemaVersion()).isEqualTo(migrationFiles()).isGreaterThan(1);
            upgraded.registerSupervisor(SupervisorRecord.starting("server-new", "host-b", 2, T0, T0, Duration.ofSeconds(1)));
            assertThat(upgraded.claimNext("server-new", true, T0)).as("still its server's").isEmpty();
            upgraded.settleOrphans(supervisor -> supervisor.id().equals("server-new"), T0);
            TaskStore.Claim claim = upgraded.claimNext("server-new", true, T0).orElseThrow();
            assertThat(claim.task().id()).isEqualTo("t-queued");
            assertThat(claim.number()).isEqualTo(2);
        }
    }

    @Test
    void the_event_log_is_append_only() {
        create("t1");
        JdbcTaskStore jdbc = (JdbcTaskStore) store;
        assertThatThrownBy(() -> jdbc.execute("UPDATE events SET type = 'x'")).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.execute("DELETE FROM events")).hasMessageContaining("append-only");
        assertThat(store.events("t1")).hasSize(1);
    }

    @Test
    void a_database_that_cannot_be_reached_is_named_without_the_password() {
        StoreLocation nowhere = new StoreLocation(null, "jdbc:postgresql://127.0.0.1:1/mayfly", "mayfly", "s3cret");
        assertThatThrownBy(() -> Stores.open(nowhere, Clock.systemUTC()))
                .hasMessageStartingWith("cannot open the store jdbc:postgresql://127.0.0.1:1/mayfly (user mayfly): ")
                .hasMessageContaining("MAYFLY_STORE_PASSWORD")
                .message().doesNotContain("s3cret");
    }
}
