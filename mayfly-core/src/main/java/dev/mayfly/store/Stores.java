package dev.mayfly.store;

import dev.mayfly.config.StoreLocation;
import java.nio.file.Files;
import java.time.Clock;

/**
 * Opens the store that {@code MAYFLY_STORE_URL} names. The one place that knows which kind of store
 * a location is: everything else holds a {@link TaskStore}.
 */
public final class Stores {

    private Stores() {}

    /** Whether the store has been made yet (commands that only read say "no store yet" rather than make one). */
    public static boolean exists(StoreLocation location) {
        return Files.exists(location.sqliteFile());
    }

    /**
     * Opens the store, creating and upgrading it when needed.
     *
     * @param clock the process's clock, for the times the store records itself (its migrations)
     */
    public static TaskStore open(StoreLocation location, Clock clock) {
        return SqliteTaskStore.open(location.sqliteFile(), clock);
    }

    /** Opens an existing store to read it, also where this process may not write (see {@link SqliteTaskStore#openToRead}). */
    public static TaskStore openToRead(StoreLocation location, Clock clock) {
        return SqliteTaskStore.openToRead(location.sqliteFile(), clock);
    }
}
