package dev.mayfly.store;

import dev.mayfly.errors.MayflyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;

/**
 * Numbered SQL files ({@code V1__….sql}, {@code V2__….sql}, …) applied in order, each in its own
 * transaction, and recorded in {@code schema_version}. The list of files is written here, so a
 * migration can never be skipped because a resource listing missed it. The files of a dialect are in
 * a folder of its own ({@code dev/mayfly/store/sqlite/}); their names follow Flyway's convention.
 *
 * <p>Why not Flyway, measured on the build machine (2 cores, JDK 17, Flyway 13.12.1, a new JVM as
 * every {@code mayfly} command is): a new store took 1363 ms with Flyway against 327 ms here (both
 * include sqlite-jdbc's native library, about 300 ms), and opening an up-to-date store took about
 * 690 ms with Flyway against 1 ms here. Every command opens the store, and every test home is a new
 * one. A store shared by several machines (PostgreSQL) is where Flyway's cross-process locking earns
 * its cost.
 */
final class Migrations {

    static final List<String> FILES = List.of("V1__tasks_events_memory.sql", "V2__workflow_runs.sql",
            "V3__checkpoints_and_attempts.sql", "V4__context_segments.sql", "V5__process_tree_memory.sql", "V6__task_run_step.sql",
            "V7__batches.sql", "V8__supervisor_heartbeat.sql",
            "V9__cancel_requests.sql", "V10__cancelled_runs_and_batches.sql",
            "V11__server_queue.sql", "V12__server_runs_and_batches.sql", "V13__control_endpoints.sql",
            "V14__claims_and_leases.sql");

    private Migrations() {}

    /**
     * Brings the schema up to date; returns the version it is at. Each migration runs in its own
     * transaction, which takes the write lock first and then looks at the version again: two Mayfly
     * processes opening a new store at once apply each migration once.
     */
    static int apply(Connection connection, String folder, Clock clock) throws SQLException {
        return apply(connection, folder, FILES, clock);
    }

    static int apply(Connection connection, String folder, List<String> files, Clock clock) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    + "version INTEGER PRIMARY KEY, file TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        }
        int current = currentVersion(connection);
        checkKnown(current, files.size());
        if (current == files.size()) {
            return current;
        }
        // A migration that builds a table again (SQLite's way to change a constraint) drops the old
        // one, which foreign keys would refuse or cascade: they are off while migrations run, as
        // SQLite's documentation asks, and checked before each migration commits. The pragma has no
        // effect inside a transaction, hence here.
        boolean foreignKeys = pragma(connection, "foreign_keys");
        setForeignKeys(connection, false);
        try {
            for (int version = current + 1; version <= files.size(); version++) {
                applyOne(connection, folder, version, files.get(version - 1), clock);
            }
        } finally {
            setForeignKeys(connection, foreignKeys);
        }
        return files.size();
    }

    /** One migration in its own transaction, which takes the write lock first and then looks at the version again. */
    private static void applyOne(Connection connection, String folder, int version, String file, Clock clock)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            if (currentVersion(connection) < version) {
                // sqlite-jdbc runs a whole script in one call (sqlite3_exec), triggers' BEGIN … END
                // bodies included, and stops at the first error: no splitter.
                statement.executeUpdate(read(folder + "/" + file));
                try (ResultSet broken = statement.executeQuery("PRAGMA foreign_key_check")) {
                    if (broken.next()) {
                        throw new MayflyException("migration " + file + " would leave a row of table "
                                + broken.getString(1) + " pointing at a missing row of " + broken.getString(3));
                    }
                }
                statement.executeUpdate("INSERT INTO schema_version (version, file, applied_at) VALUES ("
                        + version + ", '" + file + "', " + clock.millis() + ")");
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static boolean pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
            return rows.next() && rows.getInt(1) == 1;
        }
    }

    private static void setForeignKeys(Connection connection, boolean on) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA foreign_keys = " + (on ? "ON" : "OFF"));
        }
    }

    private static void checkKnown(int current, int known) {
        if (current > known) {
            throw new MayflyException("the store's schema is version " + current + ", newer than this Mayfly knows ("
                    + known + "); use a newer Mayfly or another MAYFLY_HOME");
        }
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private static String read(String resource) {
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new MayflyException("migration " + resource + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MayflyException("cannot read migration " + resource, e);
        }
    }
}
