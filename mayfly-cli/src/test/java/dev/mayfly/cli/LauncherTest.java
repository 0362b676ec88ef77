package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mayfly} launcher in the repository's root, run as people run it, on the packaged
 * application (so these tests run after the package phase): the command line's class-data archive is
 * made in the background by the first command, mapped by the next ones, and made again when the
 * build changes. Each test has a root of its own holding the launcher and a copy of the application's
 * jar (its libraries linked), so that the jar can be changed.
 */
class LauncherTest {

    private static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path folder;

    private Path launcher;
    private Path app;

    @BeforeEach
    void copyTheLauncher() throws IOException {
        Path built = Path.of("target/app").toAbsolutePath();
        assertThat(built.resolve("mayfly.jar")).as("the packaged application").exists();
        Path root = Files.createDirectories(folder.resolve("root"));
        launcher = Files.copy(Path.of("../mayfly"), root.resolve("mayfly"), StandardCopyOption.COPY_ATTRIBUTES);
        Path appFolder = Files.createDirectories(root.resolve("mayfly-cli/target/app"));
        app = Files.copy(built.resolve("mayfly.jar"), appFolder.resolve("mayfly.jar"));
        Files.createSymbolicLink(appFolder.resolve("lib"), built.resolve("lib"));
        // Built, and no sources beside it: the launcher does not build.
        Files.createFile(appFolder.resolve(".built"));
        Files.createDirectories(folder.resolve("work"));
    }

    /** A maker still at work (a test that failed early) ends by itself within seconds: it is waited for. */
    @AfterEach
    void awaitMakers() {
        await().atMost(Duration.ofMinutes(3)).until(() -> !Files.isDirectory(cache()) || noMaker());
    }

    @Test
    void the_first_command_makes_the_archive_and_the_next_ones_map_their_classes_from_it() throws Exception {
        the_archive_is_made_and_used(Path.of(System.getProperty("java.home")), ".jsa", "-Xshare:on");
    }

    @Test
    void on_jdk_25_it_is_an_aot_cache() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(JDK_25.resolve("bin/java")), "no JDK 25 at " + JDK_25);
        // -XX:AOTMode=on: the JVM refuses to start rather than go on without the cache.
        the_archive_is_made_and_used(JDK_25, ".aot", "-XX:AOTMode=on");
    }

    private void the_archive_is_made_and_used(Path jdk, String kind, String mustMap) throws Exception {
        Result first = launch(jdk, Map.of(), "run", "--prompt", "Fix it", "--", "true");
        assertThat(first.exitCode()).as(first.stderr()).isZero();

        Path archive = awaitArchive(kind, Optional.empty());
        Path classLog = folder.resolve("classes.log");
        Result status = launch(jdk, Map.of("MAYFLY_JAVA_OPTS", mustMap + " -Xlog:class+load:file=" + classLog), "status");

        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout()).contains("completed").contains("command:true");
        assertThat(status.stderr()).isEmpty();
        assertThat(Files.readAllLines(classLog)).anyMatch(line -> line.contains("dev.mayfly.cli.StatusCommand source: "
                + "shared objects file"));
        assertThat(archive.getFileName().toString()).startsWith("cli-");
    }

    @Test
    void a_new_build_has_its_archive_made_again_in_its_place() throws Exception {
        Path java = Path.of(System.getProperty("java.home"));
        assertThat(launch(java, Map.of(), "run", "--prompt", "Fix it", "--", "true").exitCode()).isZero();
        Path archive = awaitArchive(".jsa", Optional.empty());
        FileTime made = Files.getLastModifiedTime(archive);

        // A build after the archive: the jar is newer than it.
        Files.setLastModifiedTime(app, FileTime.from(made.toInstant().plusSeconds(1)));
        Result status = launch(java, Map.of(), "status");

        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(status.stdout()).contains("command:true");
        assertThat(status.stderr()).as("an archive of the old jar is not used, and says nothing").isEmpty();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> noMaker() && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(app)) > 0);
        try (Stream<Path> files = Files.list(cache())) {
            assertThat(files.filter(file -> file.toString().endsWith(".jsa"))).as("one archive, made again")
                    .containsExactly(archive);
        }
    }

    @Test
    void the_supervisor_gets_its_own_options_and_production_adds_its_own() throws Exception {
        Path java = Path.of(System.getProperty("java.home"));
        // The probe agent, run in-process, reports the JVM it runs in: the supervisor's.
        Result lean = launch(java, Map.of(), "run", "--json", "--no-workers", "--agent", "probe", "--prompt", "Check");
        Result production = launch(java, Map.of(), "run", "--json", "--no-workers", "--agent", "probe", "--prompt",
                "Check", "--profile", "production");

        assertThat(lean.exitCode()).as(lean.stderr()).isZero();
        assertThat(lean.stdout()).contains("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:MaxMetaspaceSize=128m").doesNotContain("HeapDumpOnOutOfMemoryError");
        assertThat(production.exitCode()).as(production.stderr()).isZero();
        assertThat(production.stdout()).contains("-XX:+UseSerialGC", "-XX:+HeapDumpOnOutOfMemoryError",
                "-Dmayfly.profile=production");
        assertThat(production.stderr()).doesNotContain("started without its own");
    }

    @Test
    void a_supervisor_that_lives_long_as_the_first_command_still_has_the_archive_made() throws Exception {
        // It runs without the JDK's archive (-Xshare:off), which the command line's extends: the maker must not.
        Path java = Path.of(System.getProperty("java.home"));
        Path lines = Files.writeString(folder.resolve("one.jsonl"), "{\"prompt\": \"Fix it\", \"agent\": \"command:true\"}\n");

        Result batch = launch(java, Map.of(), "batch", lines.toString());

        assertThat(batch.exitCode()).as(batch.stderr()).isZero();
        assertThat(awaitArchive(".jsa", Optional.empty())).isNotEmptyFile();
    }

    @Test
    void a_supervisor_that_lives_long_maps_no_archive_and_a_short_command_after_it_still_does() throws Exception {
        Path java = Path.of(System.getProperty("java.home"));
        assertThat(launch(java, Map.of(), "run", "--prompt", "Fix it", "--", "true").exitCode()).isZero();
        awaitArchive(".jsa", Optional.empty());
        Path lines = Files.writeString(folder.resolve("probe.jsonl"), "{\"prompt\": \"Check\", \"agent\": \"probe\", \"workers\": false}\n");

        // The probe agent, run in-process, reports the options of the JVM it runs in.
        Result batch = launch(java, Map.of(), "batch", "--json", lines.toString());
        Result run = launch(java, Map.of(), "run", "--json", "--no-workers", "--agent", "probe", "--prompt", "Check");

        assertThat(batch.exitCode()).as(batch.stderr()).isZero();
        assertThat(batch.stdout()).contains("-XX:+UseSerialGC", "-Xmn1m", "-Xshare:off").doesNotContain("-XX:SharedArchiveFile");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        // A command that is soon over gets the young generation its start allocates in.
        assertThat(run.stdout()).contains("-XX:SharedArchiveFile=", "-Xmn16m");
    }

    @Test
    void a_long_supervisor_keeps_its_c_library_pools_to_itself_and_a_user_s_own_setting_reaches_every_task() throws Exception {
        // Each task's command says what it got, and what the process that started it (its $PPID) has:
        // the supervisor's JVM for a task in-process, the worker's JVM for one in a worker.
        String report = "command:sh -c 'echo own=${MALLOC_ARENA_MAX-unset} "
                + "parent=$(xargs -0 -n1 < /proc/$PPID/environ | grep ^MALLOC_ARENA_MAX= || echo unset)'";
        Path lines = Files.writeString(folder.resolve("pools.jsonl"), """
                {"prompt": "Check", "agent": "%1$s", "workers": false}
                {"prompt": "Check", "agent": "%1$s", "workers": true, "complexity": 0.8}
                """.formatted(report));
        Path java = Path.of(System.getProperty("java.home"));

        Result launcherSet = launch(java, Map.of(), "batch", "--json", lines.toString());
        Result userSet = launch(java, Map.of("MALLOC_ARENA_MAX", "3"), "batch", "--json", lines.toString());

        assertThat(launcherSet.exitCode()).as(launcherSet.stderr()).isZero();
        assertThat(launcherSet.stdout()).contains("\"mode\":\"in-process\"", "\"mode\":\"worker\"")
                .contains("own=unset parent=MALLOC_ARENA_MAX=2").contains("own=unset parent=unset")
                .doesNotContain("own=2");
        assertThat(userSet.exitCode()).as(userSet.stderr()).isZero();
        assertThat(userSet.stdout().split("own=3 parent=MALLOC_ARENA_MAX=3", -1)).hasSize(3);
    }

    @Test
    void a_supervisor_does_not_keep_a_buffer_the_size_of_its_batch_file() throws Exception {
        // The JDK reads a file through a temporary direct buffer as large as the read, and keeps it for
        // the thread that read it: for the batch file, the main thread, which lives as long as the batch.
        String blankLine = " ".repeat(2 * 1024 * 1024);
        Path lines = Files.writeString(folder.resolve("large.jsonl"),
                "{\"prompt\": \"Check\", \"agent\": \"probe\", \"workers\": false}\n" + blankLine + "\n");

        // The probe agent, run in-process, reports the direct buffers of the JVM it runs in.
        Result batch = launch(Path.of(System.getProperty("java.home")), Map.of(), "batch", "--json", lines.toString());

        assertThat(batch.exitCode()).as(batch.stderr()).isZero();
        Matcher direct = Pattern.compile("\"directBufferBytes\":(\\d+)").matcher(batch.stdout());
        assertThat(direct.find()).as(batch.stdout()).isTrue();
        assertThat(Long.parseLong(direct.group(1))).isLessThan(512 * 1024);
    }

    @Test
    void an_archive_can_be_turned_off() throws Exception {
        Result run = launch(Path.of(System.getProperty("java.home")), Map.of("MAYFLY_CLASS_ARCHIVE", "off"), "status");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(cache()).doesNotExist();
    }

    /** Waits until the cache holds a finished archive other than {@code other}, and no maker is at work. */
    private Path awaitArchive(String kind, Optional<Path> other) {
        return await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!noMaker()) {
                return null;
            }
            try (Stream<Path> files = Files.list(cache())) {
                return files.filter(file -> file.toString().endsWith(kind))
                        .filter(file -> other.map(path -> !path.equals(file)).orElse(true)).findFirst().orElse(null);
            }
        }, file -> file != null);
    }

    private boolean noMaker() throws IOException {
        try (Stream<Path> files = Files.list(cache())) {
            return files.noneMatch(file -> file.toString().endsWith(".making"));
        }
    }

    private Path cache() {
        return folder.resolve("user-cache/mayfly");
    }

    private Result launch(Path jdk, Map<String, String> environment, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(launcher.toString()), Stream.of(args)).toList())
                .directory(folder.resolve("work").toFile())
                .redirectOutput(folder.resolve("out.txt").toFile()).redirectError(folder.resolve("err.txt").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("MAYFLY_") || key.equals("USE_WORKERS"));
        Map<String, String> given = new HashMap<>(environment);
        given.put("JAVA_HOME", jdk.toString());
        given.put("XDG_CACHE_HOME", folder.resolve("user-cache").toString());
        env.putAll(given);
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("mayfly " + String.join(" ", args) + " did not end within 2 minutes");
        }
        return new Result(process.exitValue(), Files.readString(folder.resolve("out.txt")),
                Files.readString(folder.resolve("err.txt")));
    }

    private record Result(int exitCode, String stdout, String stderr) {}
}
