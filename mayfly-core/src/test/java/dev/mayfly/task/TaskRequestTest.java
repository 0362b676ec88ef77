package dev.mayfly.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.routing.Complexity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskRequestTest {

    private static final TaskLimits LIMITS = TaskLimits.of(64, Duration.ofMinutes(1));

    @Test
    void a_request_built_from_a_prompt_an_agent_a_folder_and_limits_takes_the_documented_defaults() {
        TaskRequest request = TaskRequest.builder("Fix it", AgentSpec.builtin("probe")).workDir(Path.of("/w"))
                .limits(LIMITS).build();

        assertThat(request.params()).isEmpty();
        assertThat(request.complexity()).isEqualTo(Complexity.MISSING);
        assertThat(request.priority()).isZero();
        assertThat(request.stream()).isFalse();
    }

    @Test
    void each_part_is_set_by_its_name_and_a_copy_changes_only_the_part_asked_for() {
        TaskRequest request = TaskRequest.builder("Fix it", AgentSpec.builtin("probe")).params(Map.of("a", "1"))
                .complexity(0.8).workDir(Path.of("/w")).limits(LIMITS).priority(7).build();

        TaskRequest streamed = request.streamed();
        TaskRequest retried = request.withLimits(LIMITS.withMemoryMb(512));

        assertThat(request.toBuilder().build()).isEqualTo(request);
        assertThat(streamed).isEqualTo(request.toBuilder().stream(true).build()).isNotEqualTo(request);
        assertThat(retried.limits().memoryMb()).isEqualTo(512);
        assertThat(retried.toBuilder().limits(LIMITS).build()).isEqualTo(request);
        assertThat(List.of(streamed.priority(), retried.priority())).containsOnly(7);
    }

    @Test
    void a_request_without_a_folder_or_limits_is_refused_naming_the_missing_part() {
        TaskRequest.Builder noFolder = TaskRequest.builder("Fix it", AgentSpec.builtin("probe")).limits(LIMITS);
        TaskRequest.Builder noLimits = TaskRequest.builder("Fix it", AgentSpec.builtin("probe")).workDir(Path.of("/w"));

        assertThatThrownBy(noFolder::build).isInstanceOf(NullPointerException.class).hasMessage("workDir");
        assertThatThrownBy(noLimits::build).isInstanceOf(NullPointerException.class).hasMessage("limits");
    }
}
