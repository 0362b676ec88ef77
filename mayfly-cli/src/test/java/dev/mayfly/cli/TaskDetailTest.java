package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.routing.Mode;
import dev.mayfly.store.ContextTier;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.task.TaskState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `mayfly status ID` for an llm task with many events: model use added up, a long event list shown in part. */
class TaskDetailTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void a_long_event_list_shows_its_first_and_last_events_and_the_model_use_is_added_up() {
        TaskRecord task = new TaskRecord("t-1", "s-1", "Implement it", "llm", "{}", 0.8, true, Mode.WORKER, "long",
                TaskState.COMPLETED, null, 0, 42L, 256, 600_000, 0, "/work", null, T0, T0, T0.plusSeconds(60), 60_000L,
                20.0, 100.0, "{}", null, 1, 1, 0, 300.0, 512, null);
        List<EventRecord> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(new EventRecord(2 * i, "t-1", "s-1", T0.plusSeconds(i), "model_call",
                    "{\"step\":" + (i + 1) + ",\"inputTokens\":100,\"outputTokens\":7}"));
            events.add(new EventRecord(2 * i + 1, "t-1", "s-1", T0.plusSeconds(i), "tool_call",
                    "{\"step\":" + (i + 1) + ",\"ok\":" + (i % 10 != 0) + "}"));
        }
        events.add(new EventRecord(100, "t-1", "s-1", T0.plusSeconds(55), "context_compacted",
                "{\"inputTokens\":1000,\"outputTokens\":50}"));

        String text = TaskDetail.render(new TaskDetail.Facts(task, "completed", events, List.of(),
                List.of(new ContextTier("head", 2, 300), new ContextTier("mid-term", 1, 50), new ContextTier("recent", 4, 900)),
                List.of(), null), Clock.systemUTC());

        assertThat(text).contains("model:     50 model calls, 6000 input + 400 output tokens; 50 tool calls (5 refused or "
                + "failed); context compacted 1 time(s)");
        assertThat(text).contains("context:   7 segments in the store (2 head, 1 mid-term, 4 recent), about 1250 tokens");
        assertThat(text).contains("\"step\":1,", "\"step\":5,", "… 41 more (mayfly status ID --json lists them all)",
                "\"step\":26,", "context_compacted").doesNotContain("\"step\":6,").doesNotContain("\"step\":25,");
        assertThat(text.lines().filter(line -> line.startsWith("  ") && line.contains("_c")).count())
                .isEqualTo(TaskDetail.MAX_EVENTS_SHOWN);
    }
}
