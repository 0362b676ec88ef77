package dev.mayfly.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A class-data archive (AppCDS) of the worker's own classes, so that a worker JVM maps them ready
 * to use instead of reading, parsing and verifying them from jars. Measured on a 2-core machine,
 * this takes an empty task's worker overhead from about 140 ms to about 90 ms (docs/benchmarks.md).
 *
 * <p>The first worker started without an archive writes one when it exits
 * ({@code -XX:ArchiveClassesAtExit}); the supervisor moves it into place only after that worker
 * exited cleanly, so no worker ever maps a half-written file. The file's name carries a hash of
 * the JVM and of every worker classpath entry (path, size, time), so a new Mayfly or a new JDK
 * makes a new archive instead of using a stale one. Should the JVM refuse an archive anyway, it
 * says so in the task's log and starts without it.
 */
final class WorkerClassArchive {

    /** No archive is being written. */
    private static final long NOBODY = -1;
    /** A worker that is to write the archive is being started. */
    private static final long STARTING = 0;

    /**
     * The JVM's class-data messages (classes it cannot archive, an archive it cannot map) would
     * otherwise land in the task's log, which is the agent's.
     */
    private static final String QUIET = "-Xlog:cds*=off";

    private final Path archive;
    private final Path partial;
    private final AtomicLong writer = new AtomicLong(NOBODY);
    /** Set when a worker failed to write the archive: no other worker tries again (each would fail alike). */
    private volatile boolean gaveUp;

    WorkerClassArchive(Path cacheDir, String classpath) {
        String key = key(classpath);
        this.archive = cacheDir.resolve("worker-" + key + ".jsa");
        this.partial = cacheDir.resolve("worker-" + key + ".jsa.partial");
    }

    /**
     * JVM options for the next worker: use the archive; or, for one worker at a time, write it; or
     * neither. A caller given the write option must call {@link #writerStarted} or
     * {@link #workerExited} with {@code 0} if the worker could not be started.
     */
    List<String> options() {
        if (Files.isRegularFile(archive)) {
            return List.of("-XX:SharedArchiveFile=" + archive, QUIET);
        }
        if (gaveUp || !writer.compareAndSet(NOBODY, STARTING)) {
            return List.of();
        }
        try {
            Files.createDirectories(archive.getParent());
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            writer.set(NOBODY);
            return List.of();
        }
        return List.of("-XX:ArchiveClassesAtExit=" + partial, QUIET);
    }

    static boolean writes(List<String> options) {
        return options.stream().anyMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit="));
    }

    void writerStarted(long pid) {
        writer.set(pid);
    }

    /** Whether an archive can be made for this classpath: only jar files can be archived, not class folders. */
    static boolean possible(String classpath) {
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
                return false;
            }
        }
        return true;
    }

    /** A worker ended: if it was the writer and exited cleanly, its archive becomes the one to use. */
    void workerExited(long pid, int exitCode) {
        if (writer.get() != pid) {
            return;
        }
        try {
            if (exitCode == 0 && Files.isRegularFile(partial) && Files.size(partial) > 0) {
                try {
                    Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                gaveUp = true;
                Files.deleteIfExists(partial);
            }
        } catch (IOException e) {
            // Without an archive workers start a little slower; nothing else depends on it.
            gaveUp = true;
        } finally {
            writer.set(NOBODY);
        }
    }

    private static String key(String classpath) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((System.getProperty("java.home") + "|" + System.getProperty("java.vm.version"))
                    .getBytes(StandardCharsets.UTF_8));
            for (String entry : classpath.split(java.io.File.pathSeparator)) {
                Path path = Path.of(entry);
                String stamp = Files.isRegularFile(path)
                        ? Files.size(path) + "@" + Files.getLastModifiedTime(path).toMillis() : "dir";
                digest.update(("|" + entry + "|" + stamp).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot key the worker class archive", e);
        }
    }
}
