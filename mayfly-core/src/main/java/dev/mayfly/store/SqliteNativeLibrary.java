package dev.mayfly.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * The SQLite driver's native library, kept once in the home's cache folder. Left to itself, the
 * driver copies the library (1 MB) out of its jar into the temporary folder at every start, reads
 * it back to compare, runs {@code uname} to learn the platform, and deletes it at exit: about
 * 120 ms of every {@code mayfly status} on the build machine (docs/benchmarks.md, "The command
 * line"). Kept, the library is mapped straight from the cache.
 *
 * <p>The folder's name carries the driver's version and the platform, so a new driver gets a library
 * of its own. The file is written under another name and moved into place, so a process never loads
 * a half-written one; should the cache be unwritable, the driver does as it always did.
 */
public final class SqliteNativeLibrary {

    private static final String PATH_PROPERTY = "org.sqlite.lib.path";
    private static final String NAME_PROPERTY = "org.sqlite.lib.name";
    /** Where the driver extracts, and first cleans up after earlier processes by listing every file there. */
    private static final String TEMPORARY_FOLDER_PROPERTY = "org.sqlite.tmpdir";

    private SqliteNativeLibrary() {}

    /**
     * Points the driver at the library in {@code cacheFolder}, putting it there first if needed. Call
     * it before the process's first SQLite connection; later calls, and calls after a library path
     * was named ({@code -Dorg.sqlite.lib.path}), change nothing.
     */
    public static synchronized void keepIn(Path cacheFolder) {
        if (System.getProperty(PATH_PROPERTY) != null || !Files.isDirectory(cacheFolder.getParent())) {
            return; // A path named by the user rules; a home not made yet is not made for a cache.
        }
        String name = LibraryLoaderUtil.getNativeLibName();
        Path folder = cacheFolder.resolve(String.format(Locale.ROOT, "sqlite-jdbc-%s-%s-%s", SQLiteJDBCLoader.getVersion(),
                System.getProperty("os.name"), System.getProperty("os.arch")).replace(' ', '_'));
        Path library = folder.resolve(name);
        if (!Files.isRegularFile(library) && !extract(name, library)) {
            return;
        }
        System.setProperty(PATH_PROPERTY, folder.toString());
        System.setProperty(NAME_PROPERTY, name);
        // Its folder for the rest too: the driver's clean-up then lists one small folder, not the
        // system's temporary one (12 ms with 3,000 files there).
        System.setProperty(TEMPORARY_FOLDER_PROPERTY, folder.toString());
    }

    /** Copies the driver's library for this platform to {@code library}; false when it cannot. */
    private static boolean extract(String name, Path library) {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                return false;
            }
            Files.createDirectories(library.getParent());
            Path partial = Files.createTempFile(library.getParent(), name, ".partial");
            try {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                try {
                    Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, library, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(partial);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
