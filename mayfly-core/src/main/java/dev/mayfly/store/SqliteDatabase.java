package dev.mayfly.store;

import dev.mayfly.errors.MayflyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.sqlite.SQLiteException;

/**
 * The SQLite store's one JDBC connection (see {@link Database}). Not synchronized itself: its users
 * hold one shared lock.
 *
 * <p>Several Mayfly processes may write to one file at once (a batch beside a few runs). The
 * connection begins every transaction with {@code BEGIN IMMEDIATE}, so that a transaction takes the
 * write lock before it reads (a transaction that reads first and then writes fails at once with
 * {@code SQLITE_BUSY_SNAPSHOT} when another process wrote in between, whatever the busy timeout),
 * and SQLite's busy timeout makes it wait for the lock. Whatever still comes back busy or locked
 * is tried again, the whole transaction, with a growing pause, for up to a minute ({@link #BUSY}).
 *
 * <p>Before each use it checks that the path still names the file it opened: a store deleted or
 * replaced while Mayfly runs would otherwise take every write into a file no one will read (SQLite
 * keeps writing to the open, unlinked one), and report success. One {@code stat} a use, microseconds.
 */
final class SqliteDatabase implements Database {

    /** How long SQLite itself waits for another process's lock before it says busy. */
    static final int BUSY_TIMEOUT_MS = 10_000;
    /** How a use is tried again while other processes hold the file: for up to a minute. */
    static final Backoff BUSY = new Backoff(Duration.ofMinutes(1), Duration.ofMillis(5), Duration.ofMillis(500));

    private final Path file;
    private final Connection connection;
    private final Object fileKey;
    private volatile String lost;

    SqliteDatabase(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
        this.fileKey = fileKey(file);
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String insertionOrder() {
        return "rowid";
    }

    @Override
    public String skipLocked() {
        return "";
    }

    /** The journal mode, {@code wal} when the store is healthy. */
    @Override
    public String describe() {
        return "journal " + journalMode();
    }

    @Override
    public Optional<String> setupProblem() {
        String journal = journalMode();
        return "wal".equalsIgnoreCase(journal) ? Optional.empty() : Optional.of("journal mode is " + journal + ", not wal");
    }

    private String journalMode() {
        return query("PRAGMA journal_mode", rows -> rows.next() ? rows.getString(1) : "");
    }

    @Override
    public String lost() {
        return lost;
    }

    private void checkStillThere() {
        if (lost == null && fileKey != null) {
            if (!Files.exists(file)) {
                lost = "the store " + file + " was deleted while Mayfly was using it";
            } else if (!fileKey.equals(fileKey(file))) {
                lost = "the store " + file + " was replaced by another file while Mayfly was using it";
            }
        }
        if (lost != null) {
            throw new StoreLostException(lost + "; nothing more can be recorded, so Mayfly starts nothing more: keep "
                    + "the store in place while Mayfly runs");
        }
    }

    @Override
    public <T> T query(String sql, RowReader<T> reader, Object... values) {
        return outermost(() -> {
            try (PreparedStatement statement = Database.prepare(connection, sql, values); ResultSet rows = statement.executeQuery()) {
                return reader.read(rows);
            } catch (SQLException e) {
                throw new MayflyException("store query failed (" + file + "): " + e.getMessage(), e);
            }
        });
    }

    @Override
    public int update(String sql, Object... values) {
        return outermost(() -> {
            try (PreparedStatement statement = Database.prepare(connection, sql, values)) {
                return statement.executeUpdate();
            } catch (SQLException e) {
                throw new MayflyException("store update failed (" + file + "): " + e.getMessage(), e);
            }
        });
    }

    @Override
    public <T> T inTransaction(Work<T> work) {
        if (!autoCommit()) {
            return work.run();
        }
        return retried(() -> {
            try {
                connection.setAutoCommit(false);
                try {
                    T result = work.run();
                    connection.commit();
                    return result;
                } catch (RuntimeException | SQLException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new MayflyException("store transaction failed (" + file + "): " + e.getMessage(), e);
            }
        });
    }

    /** Work outside a transaction is tried again while the file is busy; inside one, its transaction is. */
    private <T> T outermost(Work<T> work) {
        return autoCommit() ? retried(work) : work.run();
    }

    private boolean autoCommit() {
        try {
            return connection.getAutoCommit();
        } catch (SQLException e) {
            throw new MayflyException("store connection failed (" + file + "): " + e.getMessage(), e);
        }
    }

    /** Runs {@code work}, again after a growing pause while it fails because another process holds the file. */
    private <T> T retried(Work<T> work) {
        checkStillThere();
        return BUSY.run(work, SqliteDatabase::busy, "the store " + file + " was busy");
    }

    /** Whether a failure is SQLite's busy or locked (another connection holds what this one needs). */
    static boolean busy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLiteException) {
                int primary = ((SQLiteException) cause).getResultCode().code & 0xff;
                return primary == 5 || primary == 6;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new MayflyException("cannot close the store " + file + ": " + e.getMessage(), e);
        }
    }
}
