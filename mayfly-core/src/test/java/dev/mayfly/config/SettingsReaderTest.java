package dev.mayfly.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.api.Durations;
import dev.mayfly.errors.UsageException;
import dev.mayfly.memory.Enforcement;
import dev.mayfly.memory.HostMemory;
import dev.mayfly.memory.MemorySettings;
import dev.mayfly.support.SettableHostMemory;
import dev.mayfly.task.TaskLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsReaderTest {

    private static final Path CWD = Path.of("/work/project");

    /** A 24,000 MB host with 20,000 MB available: the memory defaults follow it. */
    private static final HostMemory HOST = new SettableHostMemory(20_000, 24_000);

    private static Settings read(Map<String, String> environment) {
        return new SettingsReader(environment, CWD, HOST).read(SettingsReader.Flags.none());
    }

    @Test
    void settings_built_without_one_of_them_name_the_one_missing() {
        Settings.Builder builder = read(Map.of()).toBuilder().heartbeat(null);

        assertThatThrownBy(builder::build).isInstanceOf(NullPointerException.class)
                .hasMessage("setting heartbeat was not given");
        assertThat(builder.heartbeat(Duration.ofSeconds(3)).build().heartbeat()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void defaults_are_the_seeds_defaults() {
        Settings settings = read(Map.of());
        assertThat(settings.useWorkers()).isFalse();
        assertThat(settings.maxWorkers()).isEqualTo(4);
        assertThat(settings.heapMb()).isEqualTo(4096);
        assertThat(settings.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.memoryReportInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.warnPercent()).isEqualTo(80);
        assertThat(settings.home()).isEqualTo(CWD.resolve(".mayfly"));
        assertThat(settings.store().sqliteFile()).isEqualTo(CWD.resolve(".mayfly/workers.db"));
        assertThat(settings.logFile()).isEqualTo(CWD.resolve(".mayfly/logs/orchestrator.log"));
        assertThat(settings.defaultAgent()).isEmpty();
        assertThat(settings.rotatePercent()).isEqualTo(70);
        assertThat(settings.maxRotations()).isEqualTo(50);
        assertThat(settings.standby()).isEqualTo(new StandbySettings(0, Duration.ofMinutes(1)));
    }

    @Test
    void the_minimum_of_workers_may_be_as_many_as_the_pool_holds() {
        assertThat(read(Map.of("MAYFLY_MIN_WORKERS", "6", "MAYFLY_MAX_WORKERS", "6", "MAYFLY_STANDBY_IDLE", "0")).standby())
                .isEqualTo(new StandbySettings(6, Duration.ZERO));
    }

    @Test
    void the_tree_cap_defaults_to_8_gb_or_twice_the_heap_within_what_the_host_can_give() {
        Settings settings = read(Map.of());
        MemorySettings memory = settings.memory();
        assertThat(memory.reserveMb()).as("a tenth of 24,000, at most 2 GB").isEqualTo(2048);
        assertThat(memory.floorMb()).isEqualTo(1024);
        assertThat(memory.capMb()).isNull();
        assertThat(memory.capFor(4096)).isEqualTo(8192);
        assertThat(memory.capFor(64)).as("not less for a smaller heap: a command needs its own memory").isEqualTo(8192);
        assertThat(memory.capFor(6000)).as("twice a larger heap").isEqualTo(12_000);
        assertThat(memory.capFor(16_384)).as("no more than 24,000 less the reserve").isEqualTo(24_000 - 2048);
        assertThat(memory.enforcement()).isEqualTo(Enforcement.AUTO);
        assertThat(memory.nodeHeap()).isTrue();
        assertThat(TaskLimits.of(settings)).isEqualTo(new TaskLimits(4096, 8192, Duration.ofMinutes(10), 0, true, false));
        assertThat(new SettingsReader(Map.of(), CWD, new SettableHostMemory(1000, 2000)).read(SettingsReader.Flags.none())
                .memory().reserveMb()).as("at least 256 MB").isEqualTo(256);
    }

    @Test
    void a_task_naming_a_larger_heap_gets_twice_it_as_its_default_cap_unless_a_cap_is_set() {
        Settings settings = read(Map.of());
        TaskLimits.Overrides heap = new TaskLimits.Overrides(6000, null, null, null, null);
        assertThat(TaskLimits.of(settings, heap).memoryMb()).isEqualTo(12_000);
        assertThat(TaskLimits.of(settings, new TaskLimits.Overrides(null, 900, null, null, null)).capGiven()).isTrue();
        Settings capped = new SettingsReader(Map.of("MAYFLY_MEMORY_MB", "3000", "MAYFLY_RETRIES", "2"), CWD, HOST)
                .read(SettingsReader.Flags.none());
        assertThat(TaskLimits.of(capped, heap)).isEqualTo(new TaskLimits(6000, 3000, Duration.ofMinutes(10), 2, true, true));
        Settings flagged = new SettingsReader(Map.of("MAYFLY_MEMORY_MB", "3000"), CWD, HOST)
                .read(SettingsReader.Flags.none().memoryMb("700").retries("1").growMemory(false));
        assertThat(TaskLimits.of(flagged)).isEqualTo(new TaskLimits(4096, 700, Duration.ofMinutes(10), 1, false, true));
    }

    @Test
    void a_retry_after_running_out_of_memory_grows_heap_and_cap_by_half_up_to_the_maximum() {
        TaskLimits first = new TaskLimits(200, 400, Duration.ofMinutes(1), 3, true, true);
        assertThat(first.grown(1600)).isEqualTo(new TaskLimits(300, 600, Duration.ofMinutes(1), 3, true, true));
        assertThat(first.grown(500).memoryMb()).isEqualTo(500);
        assertThat(first.grown(300).memoryMb()).as("never below what it had").isEqualTo(400);
        TaskLimits fixed = new TaskLimits(200, 400, Duration.ofMinutes(1), 3, false, true);
        assertThat(fixed.grown(1600)).isEqualTo(fixed);
    }

    @Test
    void a_cap_the_host_could_never_give_is_refused_with_the_numbers() {
        assertThatThrownBy(() -> new SettingsReader(Map.of(), CWD, HOST).read(SettingsReader.Flags.none().memoryMb("30000")))
                .isInstanceOf(UsageException.class)
                .hasMessage("invalid --memory-mb '30000': expected a whole number of megabytes from 32 to 21952 "
                        + "(this host's 24000 MB less the 2048 MB reserve)");
    }

    @ParameterizedTest
    @CsvSource({"true, true", "TRUE, true", "True, true", "false, false", "FALSE, false"})
    void use_workers_is_true_or_false_in_any_case(String value, boolean expected) {
        assertThat(read(Map.of("USE_WORKERS", value)).useWorkers()).isEqualTo(expected);
    }

    @Test
    void use_workers_with_another_value_is_a_usage_error() {
        assertThatThrownBy(() -> read(Map.of("USE_WORKERS", "yes")))
                .isInstanceOf(UsageException.class)
                .hasMessage("invalid USE_WORKERS 'yes': expected true or false (case-insensitive), or unset for false");
    }

    @Test
    void a_flag_wins_over_the_environment() {
        Settings settings = new SettingsReader(Map.of("USE_WORKERS", "true", "MAYFLY_HEAP_MB", "512"), CWD)
                .read(SettingsReader.Flags.none().workers(false).heapMb("256").timeout("30s").classpath("lib/a.jar:b"));
        assertThat(settings.useWorkers()).isFalse();
        assertThat(settings.heapMb()).isEqualTo(256);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.agentClasspath()).containsExactly(CWD.resolve("lib/a.jar"), CWD.resolve("b"));
    }

    @Test
    void the_error_names_the_flag_when_the_value_came_from_a_flag() {
        assertThatThrownBy(() -> new SettingsReader(Map.of(), CWD)
                .read(SettingsReader.Flags.none().heapMb("lots")))
                .hasMessage("invalid --heap-mb 'lots': expected a whole number of megabytes from 16 to 1048576");
    }

    @ParameterizedTest
    @CsvSource({"sqlite:/var/lib/mayfly/tasks.db, /var/lib/mayfly/tasks.db",
            "jdbc:sqlite:/var/lib/mayfly/tasks.db, /var/lib/mayfly/tasks.db",
            "sqlite:shared/tasks.db, /work/project/.mayfly/shared/tasks.db",
            "SQLITE:../elsewhere.db, /work/project/elsewhere.db"})
    void the_store_url_names_a_sqlite_file_absolute_or_in_the_home(String url, String file) {
        assertThat(read(Map.of("MAYFLY_STORE_URL", url)).store().sqliteFile()).isEqualTo(Path.of(file));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdbc:postgresql://db.internal:5433/mayfly?user=mf&password=s3cret&sslmode=require | jdbc:postgresql://db.internal:5433/mayfly?sslmode=require | mf | s3cret",
        "postgresql://mf:s3cret@db.internal/mayfly | jdbc:postgresql://db.internal/mayfly | mf | s3cret",
        "jdbc:postgresql://db.internal/mayfly | jdbc:postgresql://db.internal/mayfly | env-user | env-password"})
    void the_store_url_names_a_postgresql_database_and_its_password_is_never_shown(String url, String kept, String user,
            String password) {
        Settings settings = read(Map.of("MAYFLY_STORE_URL", url, "MAYFLY_STORE_USER", "env-user",
                "MAYFLY_STORE_PASSWORD", "env-password"));
        StoreLocation store = settings.store();
        assertThat(store.shared()).isTrue();
        assertThat(store.postgresUrl()).isEqualTo(kept);
        assertThat(store.user()).isEqualTo(user);
        assertThat(store.password()).isEqualTo(password);
        assertThat(store.toString()).doesNotContain(password).contains(kept);
        // A supervisor logs its settings whole.
        assertThat(settings.toString()).doesNotContain(password).contains("store=" + kept);
    }

    @Test
    void a_postgresql_url_that_cannot_be_read_is_named_without_its_password() {
        assertThatThrownBy(() -> read(Map.of("MAYFLY_STORE_URL", "jdbc:postgresql://db.internal/?password=s3cret")))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("invalid MAYFLY_STORE_URL 'jdbc:postgresql://db.internal/?password=***': expected ")
                .message().doesNotContain("s3cret");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "MAYFLY_HEAP_MB | 8 | a whole number of megabytes from 16 to 1048576",
        "MAYFLY_MAX_WORKERS | 0 | a whole number from 1 to 256",
        "MAYFLY_MAX_WORKERS | four | a whole number from 1 to 256",
        "MAYFLY_MIN_WORKERS | 5 | a whole number from 0 to MAYFLY_MAX_WORKERS (4)",
        "MAYFLY_MIN_WORKERS | -1 | a whole number from 0 to MAYFLY_MAX_WORKERS (4)",
        "MAYFLY_STANDBY_IDLE | a while | a duration such as 500ms, 30s, 10m or 2h (a bare number is milliseconds), or 0 for no ready workers beyond MAYFLY_MIN_WORKERS",
        "MAYFLY_TIMEOUT | 10 minutes | a duration such as 500ms, 30s, 10m or 2h (a bare number is milliseconds), above zero",
        "MAYFLY_TIMEOUT | 0 | a duration such as 500ms, 30s, 10m or 2h (a bare number is milliseconds), above zero",
        "MAYFLY_MEMORY_REPORT_INTERVAL | 50ms | a duration such as 500ms, 30s, 10m or 2h (a bare number is milliseconds), 100ms or more",
        "MAYFLY_HEARTBEAT | 10ms | a duration such as 500ms, 30s, 10m or 2h (a bare number is milliseconds), 100ms or more",
        "MAYFLY_QUEUE_CAPACITY | -1 | a whole number from 1 to 1000000",
        "MAYFLY_HEAP_WARN_PERCENT | 120 | a number of percent above 0 and at most 100",
        "MAYFLY_LOG_FORMAT | xml | text or json",
        "MAYFLY_ROTATE_PERCENT | 0 | a number of percent above 0 and at most 100",
        "MAYFLY_MAX_ROTATIONS | -3 | a whole number from 0 to 100000",
        "MAYFLY_MEMORY_MB | 16 | a whole number of megabytes from 32 to 21952 (this host's 24000 MB less the 2048 MB reserve)",
        "MAYFLY_MEMORY_MB | lots | a whole number of megabytes from 32 to 21952 (this host's 24000 MB less the 2048 MB reserve)",
        "MAYFLY_MEMORY_RESERVE_MB | -1 | a whole number of megabytes from 0 to this host's 24000",
        "MAYFLY_HOST_FLOOR_MB | 4096 | a whole number of megabytes from 0 to the reserve (2048)",
        "MAYFLY_MEMORY_ENFORCEMENT | kernel | auto or watched (cgroup needs a delegated cgroup v2; no cgroup v2 hierarchy is mounted for this process)",
        "MAYFLY_MEMORY_ENFORCEMENT | cgroup | auto or watched (cgroup needs a delegated cgroup v2; no cgroup v2 hierarchy is mounted for this process)",
        "MAYFLY_NODE_HEAP | yes | auto or off",
        "MAYFLY_MEMORY_WARN_PERCENT | 0 | a number of percent above 0 and at most 100",
        "MAYFLY_RETRIES | 21 | a whole number from 0 to 20",
        "MAYFLY_RETRY_DELAY | soon | a duration such as 500ms, 30s, 10m or 2h (a bare number is milliseconds), above zero",
        "MAYFLY_GROW_MEMORY | maybe | true or false",
        "MAYFLY_STORE_URL | postgresql://db | sqlite:FILE, a SQLite file absolute or relative to MAYFLY_HOME (the default is sqlite:workers.db), or jdbc:postgresql://HOST[:PORT]/DATABASE",
        "MAYFLY_STORE_URL | sqlite: | sqlite:FILE, a SQLite file absolute or relative to MAYFLY_HOME (the default is sqlite:workers.db), or jdbc:postgresql://HOST[:PORT]/DATABASE",
        "MAYFLY_STORE_URL | /var/mayfly.db | sqlite:FILE, a SQLite file absolute or relative to MAYFLY_HOME (the default is sqlite:workers.db), or jdbc:postgresql://HOST[:PORT]/DATABASE",
    })
    void every_bad_value_is_named_with_what_is_accepted(String variable, String value, String accepted) {
        assertThatThrownBy(() -> read(Map.of(variable, value)))
                .isInstanceOf(UsageException.class)
                .hasMessage("invalid " + variable + " '" + value + "': expected " + accepted);
    }

    @ParameterizedTest
    @CsvSource({"500ms, 500", "30s, 30000", "10m, 600000", "2h, 7200000", "1500, 1500"})
    void durations_take_units_and_bare_numbers_are_milliseconds(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void keyword_lists_come_from_the_environment() {
        Settings settings = read(Map.of("MAYFLY_LONG_KEYWORDS", "Investigate, audit", "MAYFLY_SHORT_KEYWORDS", "tweak"));
        assertThat(settings.longKeywords()).containsExactly("investigate", "audit");
        assertThat(settings.shortKeywords()).containsExactly("tweak");
    }

    @Test
    void a_forced_rotation_below_the_rotation_names_the_rotation_as_it_was_written() {
        assertThatThrownBy(() -> read(Map.of("MAYFLY_ROTATE_PERCENT", "72.5", "MAYFLY_ROTATE_FORCE_PERCENT", "72.4")))
                .isInstanceOf(UsageException.class).hasMessageContaining("from MAYFLY_ROTATE_PERCENT (72.5) to 100");
        assertThatThrownBy(() -> read(Map.of("MAYFLY_ROTATE_PERCENT", "80.0", "MAYFLY_ROTATE_FORCE_PERCENT", "79")))
                .isInstanceOf(UsageException.class).hasMessageContaining("from MAYFLY_ROTATE_PERCENT (80) to 100");
    }
}
