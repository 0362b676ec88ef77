package dev.mayfly.cli;

import dev.mayfly.client.MayflyClient;
import dev.mayfly.client.ServerFile;
import dev.mayfly.config.Settings;
import dev.mayfly.errors.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/**
 * Where a command sends its work: to a server ({@code mayfly serve}) when one runs for the home, or
 * the one {@code --server} names; else the command is its own supervisor, as the seeds are.
 */
final class ServerOptions {

    static final String NONE = "none";

    String server;

    /** Adds {@code --server} to {@code spec}. */
    CommandSpec addTo(CommandSpec spec) {
        return spec.value("--server", "URL|none", "Send the work to the server at URL (its token: the home's server.json, "
                + "else MAYFLY_TOKEN), or run standalone with 'none'. Default: MAYFLY_SERVER, else the home's server when "
                + "one runs.", value -> server = value);
    }

    /** The server to send the work to; empty to run standalone. */
    Optional<MayflyClient> client(Settings settings, Map<String, String> environment) {
        if (given(environment) == null) {
            // A server that is not answering (its pid taken by another process, or stopping): the work
            // runs standalone, on the same store, rather than not at all.
            return ServerFile.read(settings.home()).filter(ServerFile::alive)
                    .map(file -> MayflyClient.connect(URI.create(file.url()), file.token())).filter(MayflyClient::healthy);
        }
        return named(settings, environment);
    }

    /**
     * The server {@code --server} or {@code MAYFLY_SERVER} names; empty when neither does, or it is
     * {@code none}. (The home's own server is not looked for: what reads the store reads it directly.)
     */
    Optional<MayflyClient> named(Settings settings, Map<String, String> environment) {
        String given = given(environment);
        if (given == null || given.equals(NONE)) {
            return Optional.empty();
        }
        String setting = server != null ? "--server" : "MAYFLY_SERVER";
        Optional<ServerFile> local = ServerFile.read(settings.home()).filter(ServerFile::alive);
        URI url = url(setting, given);
        String token = local.filter(file -> URI.create(file.url()).equals(url)).map(ServerFile::token)
                .orElse(environment.get("MAYFLY_TOKEN"));
        if (token == null || token.isBlank()) {
            throw new UsageException(setting + " " + given + " is not the server of " + settings.home()
                    + ": give its token in MAYFLY_TOKEN (it is in that server's $MAYFLY_HOME/server.json)");
        }
        return Optional.of(MayflyClient.connect(url, token));
    }

    /** What {@code --server}, else {@code MAYFLY_SERVER}, says; null when neither says anything. */
    private String given(Map<String, String> environment) {
        String given = server != null ? server : environment.get("MAYFLY_SERVER");
        return given == null || given.isBlank() ? null : given;
    }

    private static URI url(String setting, String given) {
        try {
            URI url = new URI(given.endsWith("/") ? given.substring(0, given.length() - 1) : given);
            if (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null
                    && (url.getPath() == null || url.getPath().isEmpty())) {
                return url;
            }
        } catch (URISyntaxException e) {
            // Said below.
        }
        throw UsageException.invalid(setting, given, "a server's address, http://HOST:PORT, or none");
    }
}
