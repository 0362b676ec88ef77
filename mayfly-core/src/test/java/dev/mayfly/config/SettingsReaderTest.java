package dev.mayfly.config;

import dev.mayfly.units.Durations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsReaderTest {

    private static final Path CWD = Path.of("/work/project");

    private static Settings read(Map<String, String> environment) {
        return new SettingsReader(environment, CWD).read(SettingsReader.Flags.none());
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
        assertThat(settings.storeFile()).isEqualTo(CWD.resolve(".mayfly/workers.db"));
        assertThat(settings.logFile()).isEqualTo(CWD.resolve(".mayfly/logs/orchestrator.log"));
        assertThat(settings.defaultAgent()).isEmpty();
        assertThat(settings.rotatePercent()).isEqualTo(70);
        assertThat(settings.maxRotations()).isEqualTo(50);
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
                .read(new SettingsReader.Flags(false, null, null, "256", "30s", null, "lib/a.jar:b", null));
        assertThat(settings.useWorkers()).isFalse();
        assertThat(settings.heapMb()).isEqualTo(256);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.agentClasspath()).containsExactly(CWD.resolve("lib/a.jar"), CWD.resolve("b"));
    }

    @Test
    void the_error_names_the_flag_when_the_value_came_from_a_flag() {
        assertThatThrownBy(() -> new SettingsReader(Map.of(), CWD)
                .read(new SettingsReader.Flags(null, null, null, "lots", null, null, null, null)))
                .hasMessage("invalid --heap-mb 'lots': expected a whole number of megabytes from 16 to 1048576");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "MAYFLY_HEAP_MB | 8 | a whole number of megabytes from 16 to 1048576",
        "MAYFLY_MAX_WORKERS | 0 | a whole number from 1 to 256",
        "MAYFLY_MAX_WORKERS | four | a whole number from 1 to 256",
        "MAYFLY_TIMEOUT | 10 minutes | a duration such as 500ms, 30s, 10m or 2h (a bare number is milliseconds), above zero",
        "MAYFLY_TIMEOUT | 0 | a duration such as 500ms, 30s, 10m or 2h (a bare number is milliseconds), above zero",
        "MAYFLY_MEMORY_REPORT_INTERVAL | 50ms | a duration such as 500ms, 30s, 10m or 2h (a bare number is milliseconds), 100ms or more",
        "MAYFLY_QUEUE_CAPACITY | -1 | a whole number from 1 to 1000000",
        "MAYFLY_HEAP_WARN_PERCENT | 120 | a number of percent above 0 and at most 100",
        "MAYFLY_LOG_FORMAT | xml | text or json",
        "MAYFLY_ROTATE_PERCENT | 0 | a number of percent above 0 and at most 100",
        "MAYFLY_MAX_ROTATIONS | -3 | a whole number from 0 to 100000",
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
}
