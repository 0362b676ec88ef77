package dev.mayfly.config;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the durable store is, from {@code MAYFLY_STORE_URL}: today a SQLite file,
 * {@code sqlite:FILE} (or JDBC's {@code jdbc:sqlite:FILE}), absolute or relative to
 * {@code MAYFLY_HOME}; by default {@code sqlite:workers.db} there. The store is opened from it by
 * {@code dev.mayfly.store.Stores}, so that nothing else names the kind of store.
 *
 * @param sqliteFile the SQLite file
 */
public record StoreLocation(Path sqliteFile) {

    static final String DEFAULT = "sqlite:workers.db";
    static final String ACCEPTED = "sqlite:FILE, a SQLite file absolute or relative to MAYFLY_HOME (the default is "
            + DEFAULT + "); PostgreSQL is not supported yet";

    /** @throws IllegalArgumentException when the text is not a store URL this Mayfly opens */
    static StoreLocation parse(String text, Path home) {
        String value = text.trim();
        for (String scheme : new String[] {"jdbc:sqlite:", "sqlite:"}) {
            if (value.toLowerCase(Locale.ROOT).startsWith(scheme) && value.length() > scheme.length()) {
                return new StoreLocation(home.resolve(value.substring(scheme.length())).normalize());
            }
        }
        throw new IllegalArgumentException(text);
    }

    /** The store as a person reads it in a message. */
    @Override
    public String toString() {
        return sqliteFile.toString();
    }
}
