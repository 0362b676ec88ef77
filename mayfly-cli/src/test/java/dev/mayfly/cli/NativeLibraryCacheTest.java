package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite driver's native library is kept in the home's cache: a command no longer writes it to
 * the temporary folder each time, so a temporary folder Mayfly cannot use (missing, read-only, or
 * mounted noexec on a hardened server) no longer stops the store from opening.
 */
class NativeLibraryCacheTest {

    @TempDir
    Path workDir;

    @Test
    void the_store_opens_without_a_usable_temporary_folder() throws Exception {
        Map<String, String> noTemporaryFolder = Map.of("JAVA_TOOL_OPTIONS",
                "-Djava.io.tmpdir=" + workDir.resolve("no-such-folder"));

        MayflyProcess.Result run = MayflyProcess.run(workDir, noTemporaryFolder, "run", "--prompt", "Fix it", "--", "true");
        MayflyProcess.Result status = MayflyProcess.run(workDir, noTemporaryFolder, "status");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout()).contains("command:true");
        try (Stream<Path> kept = Files.walk(workDir.resolve(".mayfly/cache"))) {
            assertThat(kept.map(path -> path.getFileName().toString())).contains(System.mapLibraryName("sqlitejdbc"));
        }
    }
}
