package dev.mayfly.config;

import dev.mayfly.errors.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mayfly's home folder ({@code MAYFLY_HOME} or {@code --home}), checked before anything is read
 * from it or written to it, so that a wrong one is a clear error (exit 2) and not an SQLite
 * message about a journal, or "No tasks yet".
 */
public final class HomeFolder {

    private HomeFolder() {}

    /** What a reader needs: the folder is absent (then there is nothing yet), or a folder it may list. */
    static void checkReadable(String setting, Path home) {
        if (!Files.exists(home)) {
            Path existing = home.toAbsolutePath().getParent();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing != null && !Files.isDirectory(existing)) {
                throw new UsageException(setting + " " + home + " cannot be a folder: " + existing + " is a file");
            }
            return;
        }
        if (!Files.isDirectory(home)) {
            throw new UsageException(setting + " " + home + " is a file, not a folder; give a folder (it is created "
                    + "when missing)");
        }
        if (!Files.isReadable(home) || !Files.isExecutable(home)) {
            throw new UsageException("cannot read " + setting + " " + home + ": permission denied");
        }
    }

    /** What a writer needs: the folder exists or can be made, and a file can be written in it. */
    public static void checkWritable(Path home) {
        try {
            Files.createDirectories(home);
            // Named after this process, not by Files.createTempFile: its SecureRandom sets up the JDK's
            // security providers first, 10-15 ms of a short command (docs/benchmarks.md, "The command line").
            Path probe = home.resolve(".write-check-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
            Files.delete(Files.createFile(probe));
        } catch (IOException e) {
            throw new UsageException("cannot write to Mayfly's home " + home + " (MAYFLY_HOME or --home): "
                    + FileReasons.of(e));
        }
    }
}
