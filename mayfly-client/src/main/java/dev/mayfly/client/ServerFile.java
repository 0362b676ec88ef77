package dev.mayfly.client;

import dev.mayfly.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code $MAYFLY_HOME/server.json}: where the server of a home listens, its process, and the token
 * every request but {@code /healthz} must bear. Readable by its owner only, since the token is in it;
 * written whole (a temporary file moved into place), so a reader never sees half of it.
 */
public record ServerFile(String url, long pid, String token) {

    public static Path path(Path home) {
        return home.resolve("server.json");
    }

    /** The server file of this home, when there is one that can be read. */
    public static Optional<ServerFile> read(Path home) {
        Path file = path(home);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Map<String, Object> map = Json.readObject(Files.readString(file));
            return Optional.of(new ServerFile((String) map.get("url"), ((Number) map.get("pid")).longValue(),
                    (String) map.get("token")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the process that wrote it is still there. */
    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Writes the file for this server, unless another server's is there: a file whose process is gone
     * is replaced; a live one is returned, and nothing is written. The file appears whole or not at
     * all (written aside, then hard-linked into place, which fails if another server got there first).
     */
    public Optional<ServerFile> claim(Path home) {
        Path file = path(home);
        boolean present = Files.isRegularFile(file);
        Optional<ServerFile> other = read(home);
        if (other.isPresent() && other.get().alive()) {
            return other;
        }
        Path temporary = file.resolveSibling(".server.json." + pid);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("url", url);
        map.put("pid", pid);
        map.put("token", token);
        try {
            if (other.isPresent()) {
                // Its server is gone. Removed only while it is still that one: another server that
                // starts now may have put its own in place meanwhile.
                other.get().removeIfOurs(home);
            } else if (present) {
                // There before it was read, and not a server file (a server's appears whole, by a
                // link): nothing to keep.
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, Json.writePretty(map));
            try {
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException e) {
                return read(home).or(() -> Optional.of(this));
            } finally {
                Files.deleteIfExists(temporary);
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes the file if it is still this server's (a later server may have replaced it). */
    public void removeIfOurs(Path home) {
        if (read(home).filter(this::equals).isPresent()) {
            try {
                Files.deleteIfExists(path(home));
            } catch (IOException e) {
                // Left behind, it names a pid that is gone: the next server and client see that.
            }
        }
    }
}
