package dev.mayfly.store;

import java.nio.file.Path;

/** The store as several nodes' queue, on one SQLite file (nodes of one machine). */
class SqliteQueueTest extends StoreQueueContract {

    @Override
    protected TaskStore openStore(Path home) {
        return SqliteStore.open(home.resolve("workers.db"));
    }

    @Override
    protected TaskStore openAgain(Path home) {
        return SqliteStore.open(home.resolve("workers.db"));
    }
}
