package dev.mayfly.store;

import dev.mayfly.config.MayflyException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * The store's one JDBC connection and the few ways it is used: a query read by a row reader, an
 * update, work in a transaction. Not synchronized itself: its users hold one shared lock.
 */
final class SqliteConnection {

    private final Path file;
    private final Connection connection;

    SqliteConnection(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run();
    }

    <T> T query(String sql, RowReader<T> reader, Object... values) {
        try (PreparedStatement statement = prepare(sql, values); ResultSet rows = statement.executeQuery()) {
            return reader.read(rows);
        } catch (SQLException e) {
            throw new MayflyException("store query failed (" + file + "): " + e.getMessage(), e);
        }
    }

    int update(String sql, Object... values) {
        try (PreparedStatement statement = prepare(sql, values)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new MayflyException("store update failed (" + file + "): " + e.getMessage(), e);
        }
    }

    private PreparedStatement prepare(String sql, Object... values) throws SQLException {
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

    void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }

    <T> T inTransaction(Work<T> work) {
        try {
            boolean outer = connection.getAutoCommit();
            if (!outer) {
                return work.run();
            }
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new MayflyException("store transaction failed (" + file + "): " + e.getMessage(), e);
        }
    }

    void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new MayflyException("cannot close the store " + file + ": " + e.getMessage(), e);
        }
    }
}
