package dev.mayfly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.errors.MayflyException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQLite store: the contract every store keeps, and what only SQLite has (its journal, its schema file). */
class SqliteTaskStoreTest extends TaskStoreContract {

    @Override
    protected TaskStore openStore(Path home) {
        return SqliteTaskStore.open(home.resolve("workers.db"));
    }

    private SqliteTaskStore sqlite() {
        return (SqliteTaskStore) store;
    }

    @Test
    void a_new_store_is_migrated_and_uses_the_write_ahead_log() {
        assertThat(store.schemaVersion()).isEqualTo(Migrations.FILES.size());
        assertThat(sqlite().journalMode()).isEqualTo("wal");
    }

    @Test
    void opening_again_applies_no_migration_twice() {
        store.close();
        store = SqliteTaskStore.open(home.resolve("workers.db"));
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
        assertThatThrownBy(() -> SqliteTaskStore.open(home.resolve("workers.db")))
                .isInstanceOf(MayflyException.class)
                .hasMessageContaining("schema is version 99, newer than this Mayfly knows (" + Migrations.FILES.size() + ")");
        store = SqliteTaskStore.open(home.resolve("other.db"));
    }

    @Test
    void migration_scripts_keep_trigger_bodies_whole() {
        List<String> statements = Migrations.statements("-- comment\nCREATE TABLE a (x INT);\n"
                + "CREATE TRIGGER t BEFORE DELETE ON a\nBEGIN\n    SELECT RAISE(ABORT, 'no');\nEND;\nCREATE INDEX i ON a (x);\n");
        assertThat(statements).hasSize(3);
        assertThat(statements.get(1)).startsWith("CREATE TRIGGER").endsWith("END;").contains("RAISE(ABORT, 'no');");
    }
}
