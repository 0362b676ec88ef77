package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mayfly.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Mayfly home that belongs to someone else, as that someone else meets it: the user nobody, run
 * with setpriv (root reads and writes everywhere, so these tests need root to start as, and are
 * skipped elsewhere). A folder it may only read still shows its tasks; one it may not read, or
 * write to, is an error naming the folder and why, exit 2.
 */
class HomeAccessTest {

    @TempDir
    static Path shared;

    private static String classpath;

    @BeforeAll
    static void copyClasspathForNobody() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root, to run mayfly as another user");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        classpath = MayflyProcess.copyClasspath(Files.createDirectory(shared.resolve("classpath")));
    }

    /** A folder everyone may enter, holding a home with one completed task, written by root. */
    private static Path homeWithATask(String name) throws Exception {
        Path folder = Files.createDirectory(shared.resolve(name));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = folder.resolve("home");
        MayflyProcess.Result run = MayflyProcess.run(folder, Map.of(), "run", "--home", home.toString(), "--no-workers",
                "--prompt", "Say hello", "--", "echo", "hello");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.OK);
        return home;
    }

    @Test
    void status_reads_a_home_it_may_not_write_to() throws Exception {
        Path home = homeWithATask("read-only");
        List<String> before = names(home);

        MayflyProcess.Result table = MayflyProcess.runAsNobody(classpath, home.getParent(), Map.of(), "status",
                "--home", home.toString());
        MayflyProcess.Result json = MayflyProcess.runAsNobody(classpath, home.getParent(), Map.of(), "status", "--json",
                "--home", home.toString());

        assertThat(table.exitCode()).as(table.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(table.stdout()).contains("completed", "Say hello");
        assertThat((List<?>) Json.read(json.stdout())).hasSize(1);
        assertThat(names(home)).as("a reader leaves nothing behind").isEqualTo(before)
                .containsExactlyInAnyOrder("workers.db", "logs", "runs", "cache");
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> names = Files.list(folder)) {
            return names.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void run_in_a_home_it_may_not_write_to_names_it_and_why() throws Exception {
        Path home = homeWithATask("not-writable");

        MayflyProcess.Result run = MayflyProcess.runAsNobody(classpath, home.getParent(), Map.of("MAYFLY_HOME",
                home.toString()), "run", "--no-workers", "--prompt", "Say hello", "--", "echo", "hello");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).isEqualTo("mayfly: cannot write to Mayfly's home " + home
                + " (MAYFLY_HOME or --home): permission denied\n");
    }

    @Test
    void a_home_it_may_not_read_is_an_error_naming_it_and_why() throws Exception {
        Path home = homeWithATask("unreadable");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));

        MayflyProcess.Result status = MayflyProcess.runAsNobody(classpath, home.getParent(), Map.of("MAYFLY_HOME",
                home.toString()), "status");

        assertThat(status.exitCode()).as(status.stdout()).isEqualTo(ExitCodes.USAGE);
        assertThat(status.stderr()).isEqualTo("mayfly: cannot read MAYFLY_HOME " + home + ": permission denied\n");
        assertThat(status.stdout()).isEmpty();
    }
}
