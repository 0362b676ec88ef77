package dev.mayfly.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.config.SettingsReader;
import dev.mayfly.errors.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ComplexityAndRouterTest {

    private final Router router = new Router(
            new TaskClassifier(SettingsReader.DEFAULT_LONG_KEYWORDS, SettingsReader.DEFAULT_SHORT_KEYWORDS));

    @Test
    void high_maps_to_0_8() {
        assertThat(Complexity.parse("--complexity", "high")).isEqualTo(0.8);
    }

    @Test
    void medium_maps_to_0_5() {
        assertThat(Complexity.parse("--complexity", "Medium")).isEqualTo(0.5);
    }

    @Test
    void low_maps_to_0_3() {
        assertThat(Complexity.parse("--complexity", "LOW")).isEqualTo(0.3);
    }

    @Test
    void missing_maps_to_0_5() {
        assertThat(Complexity.parse("--complexity", null)).isEqualTo(0.5);
    }

    @ParameterizedTest
    @CsvSource({"0, 0.0", "1, 1.0", "0.65, 0.65"})
    void numbers_from_0_to_1_are_taken_as_they_are(String text, double value) {
        assertThat(Complexity.parse("--complexity", text)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"huge", "1.5", "-0.1", "NaN", "0,5"})
    void anything_else_is_a_usage_error_naming_the_setting(String text) {
        assertThatThrownBy(() -> Complexity.parse("--complexity", text))
                .isInstanceOf(UsageException.class)
                .hasMessage("invalid --complexity '" + text + "': expected low, medium, high, or a number from 0 to 1");
    }

    @Test
    void workers_off_runs_everything_in_process_even_long_tasks() {
        RoutingDecision decision = router.route("Implement comprehensive authentication system", 0.8, false);
        assertThat(decision.mode()).isEqualTo(Mode.IN_PROCESS);
        assertThat(decision.classification().longRunning()).isTrue();
        assertThat(decision.reason()).startsWith("worker pattern disabled (USE_WORKERS=false)");
    }

    @Test
    void workers_on_sends_a_long_task_to_a_worker() {
        RoutingDecision decision = router.route("Implement comprehensive authentication system", 0.5, true);
        assertThat(decision.mode()).isEqualTo(Mode.WORKER);
        assertThat(decision.reason()).isEqualTo("long-running task: long-running keyword 'implement'");
    }

    @Test
    void workers_on_keeps_a_short_task_in_process() {
        RoutingDecision decision = router.route("Fix login button bug", 0.3, true);
        assertThat(decision.mode()).isEqualTo(Mode.IN_PROCESS);
        assertThat(decision.reason()).startsWith("task is short-running");
    }
}
