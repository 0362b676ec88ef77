package dev.mayfly.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;

/**
 * The few ways {@link JdbcTaskStore} uses its database, and the little that differs between the
 * databases it runs on: a query read by a row reader, an update, work in a transaction, and how the
 * database describes itself. One implementation a kind of database: {@code SqliteDatabase} (one
 * file, one connection), and the PostgreSQL one in {@code mayfly-store-postgresql} (a pool shared by
 * several machines). Not synchronized itself: the store's users hold the store's one lock.
 */
public interface Database {

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run();
    }

    /** A statement with its values bound in order; a null is bound as SQL's NULL, of whatever type the column has. */
    static PreparedStatement prepare(Connection connection, String sql, Object... values) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                statement.setNull(i + 1, Types.NULL);
            } else {
                statement.setObject(i + 1, values[i]);
            }
        }
        return statement;
    }

    <T> T query(String sql, RowReader<T> reader, Object... values);

    int update(String sql, Object... values);

    /** Runs {@code work} as one transaction; inside another, as part of it. */
    <T> T inTransaction(Work<T> work);

    default void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }

    /**
     * The column that grows with every row inserted into {@code tasks} and {@code run_steps}, to
     * tell which of a line's tasks is the last: SQLite's {@code rowid}, a sequence elsewhere.
     */
    String insertionOrder();

    /**
     * What ends a query that picks a row to claim, so that rows other connections are claiming are
     * passed by rather than waited for: PostgreSQL's {@code FOR UPDATE SKIP LOCKED}; nothing for
     * SQLite, whose transactions take the whole file's write lock first.
     */
    String skipLocked();

    /** The database in a few words for {@code mayfly validate}, after the schema version. */
    String describe();

    /** What is wrong with how the database is set up, or empty. */
    Optional<String> setupProblem();

    /** Why the store can no longer be used (its file deleted or replaced), or null while it can. */
    String lost();

    void close();
}
