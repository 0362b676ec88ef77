package dev.mayfly.store;

import dev.mayfly.config.StoreLocation;
import dev.mayfly.store.postgresql.EmbeddedDatabase;
import java.nio.file.Path;
import java.time.Clock;

/** The store as several nodes' queue, on one PostgreSQL database (embedded, real). */
class PostgresQueueTest extends StoreQueueContract {

    private StoreLocation database;

    @Override
    protected TaskStore openStore(Path home) {
        database = EmbeddedDatabase.newDatabase();
        return openAgain(home);
    }

    @Override
    protected TaskStore openAgain(Path home) {
        return Stores.open(database, Clock.systemUTC());
    }
}
