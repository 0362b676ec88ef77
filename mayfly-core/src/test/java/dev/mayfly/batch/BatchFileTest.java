package dev.mayfly.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a batch's plan keeps: a supervisor holds it for the whole batch, so every line of it counts. */
class BatchFileTest {

    @Test
    void a_plan_run_here_keeps_its_tasks_only_and_its_lines_share_their_agent_and_limits(@TempDir Path folder)
            throws Exception {
        BatchFixture fixture = BatchFixture.of(folder,
                "{\"prompt\": \"One\", \"agent\": \"command:sh -c true\"}",
                "{\"prompt\": \"Two\", \"agent\": \"command:sh -c true\", \"params\": {\"a\": \"b\"}}",
                "{\"prompt\": \"Three\", \"agent\": \"command:sh -c true\", \"timeout\": \"5m\"}");

        BatchFile.Plan here = fixture.read(false);
        BatchFile.Plan forServer = fixture.read(true);

        assertThat(here.entries()).hasSize(3);
        assertThat(here.fields()).as("a batch run here sends no line to a server").isEmpty();
        assertThat(forServer.serverFields(forServer.entries().get(1))).containsEntry("prompt", "Two")
                .containsEntry("params", Map.of("a", "b"));
        BatchEntry one = here.entries().get(0);
        BatchEntry two = here.entries().get(1);
        BatchEntry three = here.entries().get(2);
        assertThat(two.request().agent()).isSameAs(one.request().agent());
        assertThat(three.request().agent()).isSameAs(one.request().agent());
        assertThat(two.request().limits()).isSameAs(one.request().limits());
        assertThat(three.request().limits()).as("a line with limits of its own").isNotEqualTo(one.request().limits());
        assertThat(two.request().params()).containsExactly(Map.entry("a", "b"));
        assertThat(one.request().params()).isEmpty();
    }
}
