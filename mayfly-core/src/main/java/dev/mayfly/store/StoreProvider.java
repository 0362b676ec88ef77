package dev.mayfly.store;

import dev.mayfly.config.StoreLocation;
import java.time.Clock;

/**
 * Opens a store shared by several machines (PostgreSQL), found with {@link java.util.ServiceLoader}
 * so that its driver and pool stay out of core and out of every worker: {@code mayfly-store-postgresql}
 * provides the one there is. SQLite, the default, is opened by core itself.
 */
public interface StoreProvider {

    /** Opens the store at {@code location} ({@link StoreLocation#shared()}), migrating it when needed. */
    TaskStore open(StoreLocation location, Clock clock);
}
