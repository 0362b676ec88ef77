package dev.mayfly.store.postgresql;

import dev.mayfly.config.StoreLocation;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests, started once a test JVM from the binaries zonky ships as a
 * Maven artifact (nothing to install), on a free port, and stopped when the JVM ends. Each test takes
 * a new, empty database of its own from it.
 */
public final class EmbeddedDatabase {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private EmbeddedDatabase() {}

    /** The server, started on first use. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // The JVM is ending; its temporary folder goes with the next clean.
                }
            }, "embedded-postgres-stop"));
        }
        return server;
    }

    /** A new, empty database on the server, as {@code MAYFLY_STORE_URL} would name it. */
    public static String newDatabaseUrl() {
        String name = "mayfly_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection connection = server().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return "jdbc:postgresql://localhost:" + server().getPort() + "/" + name + "?user=postgres";
    }

    /** A new, empty database as a store location. */
    public static StoreLocation newDatabase() {
        return location(newDatabaseUrl());
    }

    /** A database of {@link #newDatabaseUrl} as a store location. */
    public static StoreLocation location(String url) {
        return new StoreLocation(null, url.substring(0, url.indexOf('?')), "postgres", null);
    }
}
