package dev.mayfly.store.postgresql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.mayfly.config.StoreLocation;
import dev.mayfly.errors.MayflyException;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.StoreProvider;
import dev.mayfly.store.TaskStore;
import java.time.Clock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Opens the PostgreSQL store: a small HikariCP pool, and the schema brought up to date by Flyway,
 * whose lock on the database lets several nodes start at once and each migration still run once.
 */
public final class PostgresStoreProvider implements StoreProvider {

    /**
     * Connections a node keeps at most. The store's methods take one lock a process, so one
     * connection is in use at a time; the second lets a new one be made while a broken one is
     * still being closed.
     */
    static final int POOL_SIZE = 2;
    /** How long a use waits for a connection before the failure is reported (and the use tried again). */
    private static final long CONNECTION_TIMEOUT_MS = 5_000;
    static final String MIGRATIONS = "classpath:dev/mayfly/store/postgresql";

    @Override
    public TaskStore open(StoreLocation location, Clock clock) {
        HikariDataSource pool = pool(location);
        try {
            Flyway flyway = Flyway.configure().dataSource(pool).locations(MIGRATIONS).load();
            flyway.migrate();
            MigrationVersion version = flyway.info().current().getVersion();
            return new JdbcTaskStore(new PostgresDatabase(pool, location.toString()), Integer.parseInt(version.getVersion()));
        } catch (RuntimeException e) {
            pool.close();
            throw new MayflyException("cannot open the store " + location + ": " + e.getMessage(), e);
        }
    }

    private static HikariDataSource pool(StoreLocation location) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mayfly-store");
        config.setJdbcUrl(location.postgresUrl());
        config.setUsername(location.user());
        config.setPassword(location.password());
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        // The store asks for read committed and relies on guarded updates, not on stronger isolation.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new MayflyException("cannot open the store " + location + ": " + cause.getMessage()
                    + " (is the database running, and are MAYFLY_STORE_USER and MAYFLY_STORE_PASSWORD right?)", e);
        }
    }
}
