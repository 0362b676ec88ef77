package dev.mayfly.store;

import dev.mayfly.config.Settings;
import dev.mayfly.config.StoreLocation;
import dev.mayfly.errors.MayflyException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ServiceLoader;

/**
 * Opens the store that {@code MAYFLY_STORE_URL} names. The one place that knows which kind of store
 * a location is: everything else holds a {@link TaskStore}.
 */
public final class Stores {

    private Stores() {}

    /**
     * Whether the store has been made yet (commands that only read say "no store yet" rather than make
     * one). A shared database is there for every machine once it is named: it is opened to find out.
     */
    public static boolean exists(StoreLocation location) {
        return location.shared() || Files.exists(location.sqliteFile());
    }

    /**
     * Does ahead, on the calling thread, what the default store's driver does at a JVM's first
     * connection and needs nothing of it ({@link SqliteStore#prepareDriver}); a command begins it on a
     * thread of its own before it knows which store its settings name.
     */
    public static void prepareDefault() {
        SqliteStore.prepareDriver();
    }

    /**
     * Opens the store these settings name, creating and upgrading it when needed; a SQLite store's
     * native library is kept in the home's cache ({@link SqliteNativeLibrary}).
     */
    public static TaskStore open(Settings settings, Clock clock) {
        keepSqliteLibrary(settings);
        return open(settings.store(), clock);
    }

    /** {@link #openToRead(StoreLocation, Clock)} for the store these settings name, as {@link #open(Settings, Clock)} does. */
    public static TaskStore openToRead(Settings settings, Clock clock) {
        keepSqliteLibrary(settings);
        return openToRead(settings.store(), clock);
    }

    private static void keepSqliteLibrary(Settings settings) {
        if (!settings.store().shared()) {
            SqliteNativeLibrary.keepIn(settings.cacheFolder());
        }
    }

    /**
     * Opens the store, creating and upgrading it when needed.
     *
     * @param clock the process's clock, for the times the store records itself (its migrations)
     */
    public static TaskStore open(StoreLocation location, Clock clock) {
        if (location.shared()) {
            return shared(location, clock);
        }
        return SqliteStore.open(location.sqliteFile(), clock);
    }

    /** Opens an existing store to read it, also where this process may not write (see {@link SqliteStore#openToRead}). */
    public static TaskStore openToRead(StoreLocation location, Clock clock) {
        if (location.shared()) {
            return shared(location, clock);
        }
        return SqliteStore.openToRead(location.sqliteFile(), clock);
    }

    private static TaskStore shared(StoreLocation location, Clock clock) {
        for (StoreProvider provider : ServiceLoader.load(StoreProvider.class, Stores.class.getClassLoader())) {
            return provider.open(location, clock);
        }
        throw new MayflyException("MAYFLY_STORE_URL names a PostgreSQL store (" + location + "), but this Mayfly was "
                + "built without mayfly-store-postgresql: put its jar on the classpath");
    }
}
