package dev.mayfly.store;

import dev.mayfly.errors.MayflyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.date.FastDateFormat;

/**
 * Opens the SQLite store: one file, write-ahead log, one connection a process used under the store's
 * lock. Several Mayfly processes may share the file; SQLite's busy timeout makes them take turns.
 *
 * <p>Connections come from the driver itself, not {@code DriverManager}, whose first use loads every
 * JDBC driver on the classpath (PostgreSQL's among them): 20 ms of a short command.
 */
public final class SqliteStore {

    /**
     * SQLite's page cache, in KiB (a negative {@code cache_size}): a quarter of its default 2,000, which a
     * supervisor filled once its store held a few thousand tasks; that cache was C memory of its own.
     * A page not cached is read back from the operating system's cache.
     */
    static final int CACHE_KIB = -512;

    private SqliteStore() {}

    /**
     * Does ahead what the driver does at the first connection of a JVM and needs nothing of it, so
     * that the connection finds it done (docs/benchmarks.md, "The command line"). Safe on any thread:
     * <ul>
     *   <li>its date format, which it makes from the JDK's calendar and locale data, building the set
     *       of every locale with calendar data first: 20-28 ms;
     *   <li>its version, which it looks up as a resource through the classpath: 3-7 ms.
     * </ul>
     */
    public static void prepareDriver() {
        FastDateFormat.getInstance(SQLiteConfig.DEFAULT_DATE_STRING_FORMAT);
        SQLiteJDBCLoader.getVersion();
    }

    /** Opens the store at {@code file} on the system clock (tests, tools); Mayfly passes its own clock. */
    public static JdbcTaskStore open(Path file) {
        return open(file, Clock.systemUTC());
    }

    /**
     * Opens (creating it if needed) and migrates the store at {@code file}.
     *
     * @param clock when each migration was applied, as the store records it
     */
    public static JdbcTaskStore open(Path file, Clock clock) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new MayflyException("cannot create the store's folder " + file.getParent() + ": " + e.getMessage(), e);
        }
        try {
            SQLiteConfig config = new SQLiteConfig();
            // Every transaction takes the write lock first, and waits for it: several Mayfly processes may
            // share the file (SqliteDatabase says why, and retries what still comes back busy).
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            config.setBusyTimeout(SqliteDatabase.BUSY_TIMEOUT_MS);
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.enforceForeignKeys(true);
            config.setCacheSize(CACHE_KIB);
            Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            int version = Migrations.apply(connection, "/dev/mayfly/store/sqlite", clock);
            return new JdbcTaskStore(new SqliteDatabase(file, connection), version);
        } catch (SQLException e) {
            throw new MayflyException("cannot open the store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens an existing store for reading ({@code mayfly status}). Where this process may write, it is
     * {@link #open}; where it may not (a folder of another user's, a read-only disk), the file is
     * opened read-only: with {@code mode=ro} while a write-ahead log is there (a supervisor is
     * writing), else as {@code immutable}, since SQLite cannot create the log's index file a reader
     * needs in a folder it cannot write.
     */
    public static JdbcTaskStore openToRead(Path file, Clock clock) {
        Path absolute = file.toAbsolutePath();
        if (Files.isWritable(absolute.getParent()) && Files.isWritable(absolute)) {
            return open(file, clock);
        }
        boolean walPresent = Files.exists(absolute.resolveSibling(absolute.getFileName() + "-wal"));
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            config.setBusyTimeout(SqliteDatabase.BUSY_TIMEOUT_MS);
            Connection connection = config.createConnection("jdbc:sqlite:file:" + uriPath(absolute)
                    + (walPresent ? "?mode=ro" : "?immutable=1"));
            int version = Migrations.currentVersion(connection);
            if (version < Migrations.FILES.size()) {
                connection.close();
                throw new MayflyException("the store " + file + " is at schema version " + version + ", older than this "
                        + "Mayfly's (" + Migrations.FILES.size() + "), and this process cannot write to upgrade it: run "
                        + "Mayfly once as a user who can write to " + absolute.getParent());
            }
            return new JdbcTaskStore(new SqliteDatabase(file, connection), version);
        } catch (SQLException e) {
            throw new MayflyException("cannot read the store " + file + ": " + e.getMessage(), e);
        }
    }

    /** The path as a URI's path: the characters a URI gives a meaning to are escaped. */
    private static String uriPath(Path path) {
        return path.toString().replace("%", "%25").replace("?", "%3f").replace("#", "%23");
    }
}
