package dev.mayfly.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the durable store is, from {@code MAYFLY_STORE_URL}: a SQLite file, {@code sqlite:FILE} (or
 * JDBC's {@code jdbc:sqlite:FILE}), absolute or relative to {@code MAYFLY_HOME}, by default
 * {@code sqlite:workers.db} there; or a PostgreSQL database shared by several machines,
 * {@code jdbc:postgresql://HOST[:PORT]/DATABASE}. The store is opened from it by
 * {@code dev.mayfly.store.Stores}, so that nothing else names the kind of store.
 *
 * <p>PostgreSQL's user and password come from the URL ({@code ?user=…&password=…}, or
 * {@code postgresql://USER:PASSWORD@HOST/DATABASE}) or from {@code MAYFLY_STORE_USER} and
 * {@code MAYFLY_STORE_PASSWORD}. The password is kept apart from the URL and never printed: this
 * record's {@link #toString} and every message show the URL without it.
 *
 * @param sqliteFile the SQLite file; null for PostgreSQL
 * @param postgresUrl the PostgreSQL JDBC URL without user and password; null for SQLite
 * @param user PostgreSQL's user, or null for the driver's default
 * @param password PostgreSQL's password, or null
 */
public record StoreLocation(Path sqliteFile, String postgresUrl, String user, String password) {

    static final String DEFAULT = "sqlite:workers.db";
    static final String ACCEPTED = "sqlite:FILE, a SQLite file absolute or relative to MAYFLY_HOME (the default is "
            + DEFAULT + "), or jdbc:postgresql://HOST[:PORT]/DATABASE";

    private static final List<String> SQLITE_SCHEMES = List.of("jdbc:sqlite:", "sqlite:");
    private static final List<String> POSTGRES_SCHEMES = List.of("jdbc:postgresql://", "postgresql://", "postgres://");

    public static StoreLocation sqlite(Path file) {
        return new StoreLocation(file, null, null, null);
    }

    /** Whether this is a database several machines share (PostgreSQL), not a file of this one. */
    public boolean shared() {
        return postgresUrl != null;
    }

    /**
     * @param environment where {@code MAYFLY_STORE_USER} and {@code MAYFLY_STORE_PASSWORD} are read
     * @throws IllegalArgumentException when the text is not a store URL this Mayfly opens
     */
    static StoreLocation parse(String text, Path home, Map<String, String> environment) {
        String value = text.trim();
        String lower = value.toLowerCase(Locale.ROOT);
        for (String scheme : SQLITE_SCHEMES) {
            if (lower.startsWith(scheme) && value.length() > scheme.length()) {
                return sqlite(home.resolve(value.substring(scheme.length())).normalize());
            }
        }
        for (String scheme : POSTGRES_SCHEMES) {
            if (lower.startsWith(scheme)) {
                return postgres(value.substring(scheme.length()), environment);
            }
        }
        throw new IllegalArgumentException(redacted(text));
    }

    /** {@code HOST[:PORT]/DATABASE[?PARAMS]}, perhaps with {@code USER[:PASSWORD]@} before the host. */
    private static StoreLocation postgres(String rest, Map<String, String> environment) {
        URI uri;
        try {
            uri = new URI("postgresql://" + rest);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(redacted(rest));
        }
        String database = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (uri.getHost() == null || database.isEmpty() || database.contains("/")) {
            throw new IllegalArgumentException(redacted(rest));
        }
        String user = environment.get("MAYFLY_STORE_USER");
        String password = environment.get("MAYFLY_STORE_PASSWORD");
        if (uri.getRawUserInfo() != null) {
            String[] info = uri.getRawUserInfo().split(":", 2);
            user = decoded(info[0]);
            password = info.length > 1 ? decoded(info[1]) : password;
        }
        List<String> kept = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String parameter : uri.getRawQuery().split("&")) {
                String[] pair = parameter.split("=", 2);
                String name = pair[0].toLowerCase(Locale.ROOT);
                if (name.equals("user")) {
                    user = pair.length > 1 ? decoded(pair[1]) : null;
                } else if (name.equals("password")) {
                    password = pair.length > 1 ? decoded(pair[1]) : null;
                } else if (!parameter.isEmpty()) {
                    kept.add(parameter);
                }
            }
        }
        String url = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/"
                + database + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        return new StoreLocation(null, url, blankToNull(user), blankToNull(password));
    }

    private static String decoded(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** The text with any password in it replaced, for a message about a URL that could not be read. */
    static String redacted(String text) {
        return text.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@");
    }

    /** The store as a person reads it in a message: the file, or the URL without its password. */
    @Override
    public String toString() {
        return shared() ? postgresUrl + (user == null ? "" : " (user " + user + ")") : sqliteFile.toString();
    }
}
