package dev.mayfly.store.postgresql;

import com.zaxxer.hikari.HikariDataSource;
import dev.mayfly.errors.MayflyException;
import dev.mayfly.store.Backoff;
import dev.mayfly.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * A PostgreSQL database shared by several Mayfly nodes, through a HikariCP pool. Each use borrows a
 * connection and gives it back; a transaction keeps its one connection, on its thread, until it
 * commits. What fails because the connection broke or the database asks for it to be tried again (a
 * restart, a failover, a deadlock) is tried again, the whole transaction, with a growing pause, for
 * up to 30 s ({@link #UNREACHABLE}); anything else fails at once.
 */
final class PostgresDatabase implements Database {

    /** How a use is tried again while the database cannot be reached: for up to 30 s. */
    static final Backoff UNREACHABLE = new Backoff(Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofSeconds(1));

    private final HikariDataSource pool;
    private final String where;
    /** The connection of the transaction this thread is in, if it is in one. */
    private final ThreadLocal<Connection> transaction = new ThreadLocal<>();

    /** @param where the database as messages name it: its URL without the password */
    PostgresDatabase(HikariDataSource pool, String where) {
        this.pool = pool;
        this.where = where;
    }

    @FunctionalInterface
    private interface Use<T> {
        T on(Connection connection) throws SQLException;
    }

    @Override
    public <T> T query(String sql, RowReader<T> reader, Object... values) {
        return use("query", connection -> {
            try (PreparedStatement statement = Database.prepare(connection, sql, values); ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            }
        });
    }

    @Override
    public int update(String sql, Object... values) {
        return use("update", connection -> {
            try (PreparedStatement statement = Database.prepare(connection, sql, values)) {
                return statement.executeUpdate();
            }
        });
    }

    /** Inside a transaction on its connection; outside, on a connection of its own, tried again while that fails. */
    private <T> T use(String what, Use<T> use) {
        Connection current = transaction.get();
        if (current != null) {
            try {
                return use.on(current);
            } catch (SQLException e) {
                throw failure(what, e);
            }
        }
        return retried(() -> {
            try (Connection connection = pool.getConnection()) {
                return use.on(connection);
            } catch (SQLException e) {
                throw failure(what, e);
            }
        });
    }

    @Override
    public <T> T inTransaction(Work<T> work) {
        if (transaction.get() != null) {
            return work.run();
        }
        return retried(() -> {
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                transaction.set(connection);
                try {
                    T result = work.run();
                    connection.commit();
                    return result;
                } catch (RuntimeException | SQLException e) {
                    rollBack(connection);
                    throw e;
                } finally {
                    // HikariCP puts auto-commit back when the connection returns to the pool; setting it here
                    // would fail on a broken connection and hide the failure that led here.
                    transaction.remove();
                }
            } catch (SQLException e) {
                throw failure("transaction", e);
            }
        });
    }

    /** A connection that broke cannot roll back; the database ends its transaction when it notices. */
    private static void rollBack(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The failure that led here is the one worth reporting.
        }
    }

    private MayflyException failure(String what, SQLException e) {
        return new MayflyException("store " + what + " failed (" + where + "): " + e.getMessage(), e);
    }

    /** Runs {@code work}, again after a growing pause while it fails in a way worth trying again. */
    private <T> T retried(Work<T> work) {
        return UNREACHABLE.run(work, PostgresDatabase::worthRetrying, "the store " + where + " could not be reached");
    }

    /**
     * Whether a failure may pass if tried again: the connection failed (SQLSTATE class 08), the
     * server is shutting down or restarting (57P01–57P03), or it chose this transaction to give way
     * (40001 serialization, 40P01 deadlock).
     */
    static boolean worthRetrying(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException) {
                String state = ((SQLException) cause).getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("40001")
                        || state.equals("40P01"))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String insertionOrder() {
        return "seq";
    }

    @Override
    public String skipLocked() {
        return " FOR UPDATE SKIP LOCKED";
    }

    @Override
    public String describe() {
        String version = query("SHOW server_version", rows -> rows.next() ? rows.getString(1) : "?");
        return "PostgreSQL " + version + " at " + where + ", pool of up to " + pool.getMaximumPoolSize() + " connections";
    }

    @Override
    public Optional<String> setupProblem() {
        return Optional.empty();
    }

    /** Never: a database that cannot be reached now is tried again, not given up on. */
    @Override
    public String lost() {
        return null;
    }

    @Override
    public void close() {
        pool.close();
    }
}
