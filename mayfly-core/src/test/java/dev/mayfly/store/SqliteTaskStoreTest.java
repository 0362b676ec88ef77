package dev.mayfly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.errors.MayflyException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQLite store: the contract every store keeps, and what only SQLite has (its journal, its schema file). */
class SqliteTaskStoreTest extends TaskStoreContract {

    @Override
    protected TaskStore openStore(Path home) {
        return SqliteStore.open(home.resolve("workers.db"));
    }

    @Test
    void a_new_store_is_migrated_and_uses_the_write_ahead_log() {
        assertThat(store.schemaVersion()).isEqualTo(Migrations.FILES.size());
        assertThat(store.describe()).endsWith("journal wal");
        assertThat(store.setupProblem()).isEmpty();
    }

    @Test
    void opening_again_applies_no_migration_twice() {
        store.close();
        store = SqliteStore.open(home.resolve("workers.db"));
        assertThat(store.schemaVersion()).isEqualTo(Migrations.FILES.size());
    }

    @Test
    void the_event_log_is_append_only() throws Exception {
        create("t1");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("workers.db"))) {
            assertThatThrownBy(() -> connection.createStatement().executeUpdate("UPDATE events SET type = 'x'"))
                    .hasMessageContaining("events are append-only");
            assertThatThrownBy(() -> connection.createStatement().executeUpdate("DELETE FROM events"))
                    .hasMessageContaining("events are append-only");
        }
    }

    @Test
    void a_store_from_a_newer_mayfly_is_refused_with_a_clear_message() throws Exception {
        store.close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("workers.db"))) {
            connection.createStatement().executeUpdate(
                    "INSERT INTO schema_version (version, file, applied_at) VALUES (99, 'V99__future.sql', 0)");
        }
        assertThatThrownBy(() -> SqliteStore.open(home.resolve("workers.db")))
                .isInstanceOf(MayflyException.class)
                .hasMessageContaining("schema is version 99, newer than this Mayfly knows (" + Migrations.FILES.size() + ")");
        store = SqliteStore.open(home.resolve("other.db"));
    }

    @Test
    void a_migration_runs_whole_with_trigger_bodies_and_one_that_fails_halfway_leaves_nothing_behind() throws Exception {
        List<String> files = List.of("V1__with_trigger.sql", "V2__fails_halfway.sql");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("halfway.db"))) {
            assertThatThrownBy(() -> Migrations.apply(connection, "/dev/mayfly/store/halfway", files, Clock.systemUTC()))
                    .isInstanceOf(SQLException.class).hasMessageContaining("TABLEE");
            assertThat(Migrations.currentVersion(connection)).isEqualTo(1);
            Statement statement = connection.createStatement();
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM a"))
                    .hasMessageContaining("rows of a are kept; always");
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM a")) {
                assertThat(rows.getInt(1)).as("V2's insert was rolled back").isEqualTo(1);
            }
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'")) {
                assertThat(rows.getInt(1)).as("V2's first table was rolled back").isZero();
            }
        }
    }
}
