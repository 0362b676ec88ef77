package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.config.AgentProviders;
import dev.mayfly.routing.Mode;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.ContextTier;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.MemorySampleRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.task.TaskState;
import dev.mayfly.worker.MemorySample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `mayfly status ID` for an llm task with many events: model use added up, a long event list shown in part. */
class TaskDetailTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void a_long_event_list_shows_its_first_and_last_events_and_the_model_use_is_added_up() {
        TaskRecord task = completed("t-1", "llm", Mode.WORKER, Duration.ofSeconds(60)).heapLimitMb(256)
                .memoryPeakMb(20.0).rssPeakMb(100.0).residentPeakMb(300.0).memoryCapMb(512).build();
        List<EventRecord> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(new EventRecord(2 * i, "t-1", "s-1", T0.plusSeconds(i), "model_call",
                    "{\"step\":" + (i + 1) + ",\"inputTokens\":100,\"outputTokens\":7}"));
            events.add(new EventRecord(2 * i + 1, "t-1", "s-1", T0.plusSeconds(i), "tool_call",
                    "{\"step\":" + (i + 1) + ",\"ok\":" + (i % 10 != 0) + "}"));
        }
        events.add(new EventRecord(100, "t-1", "s-1", T0.plusSeconds(55), "context_compacted",
                "{\"inputTokens\":1000,\"outputTokens\":50}"));

        // The task's agent, the llm agent, is found by its name and adds up its own events.
        String text = TaskDetail.render(new TaskDetail.Facts(task, "completed", events,
                TaskDetail.agentLines(AgentProviders.builtIn(), task, events), List.of(),
                List.of(new ContextTier("head", 2, 300), new ContextTier("mid-term", 1, 50), new ContextTier("recent", 4, 900)),
                List.of(), List.of(), null, null), Clock.systemUTC());

        // Every request the server was sent is a call: the 50 turns and the compaction's summary.
        assertThat(text).contains("model:     51 model calls, 6000 input + 400 output tokens; 50 tool calls (5 refused or "
                + "failed); context compacted 1 time(s)");
        assertThat(text).contains("context:   7 segments in the store (2 head, 1 mid-term, 4 recent), about 1250 tokens");
        assertThat(text).contains("\"step\":1,", "\"step\":5,", "… 41 more (mayfly status ID --json lists them all)",
                "\"step\":26,", "context_compacted").doesNotContain("\"step\":6,").doesNotContain("\"step\":25,");
        assertThat(text.lines().filter(line -> line.startsWith("  ") && line.contains("_c")).count())
                .isEqualTo(TaskDetail.MAX_EVENTS_SHOWN);
    }

    @Test
    void a_retried_task_shows_each_attempt_with_its_caps_and_peaks_and_its_memory_over_time() {
        TaskRecord task = completed("t-2", "command:python3", Mode.WORKER, Duration.ofSeconds(9)).heapLimitMb(192)
                .memoryPeakMb(30.0).rssPeakMb(90.0).residentPeakMb(470.0).memoryCapMb(600).attempts(2).build();
        List<AttemptRecord> attempts = List.of(
                new AttemptRecord("t-2", 1, AttemptRecord.Kind.FIRST, 128, 400, "watched", 41L, T0, T0.plusSeconds(2),
                        "out_of_memory", "the task's processes held 402 MB, past its memory cap of 400 MB", 20.0, 402.0, 1),
                new AttemptRecord("t-2", 2, AttemptRecord.Kind.RETRY, 192, 600, "watched", 42L, T0.plusSeconds(4),
                        T0.plusSeconds(9), "completed", null, 30.0, 470.0, 0));
        List<MemorySampleRecord> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            samples.add(new MemorySampleRecord("t-2", T0.plusSeconds(4 + i / 2), new MemorySample(30, 40, 192, 15, 10, 60, 1, 1),
                    50.0 + 42 * i, 3));
        }

        String text = TaskDetail.render(new TaskDetail.Facts(task, "completed", List.of(), Map.of(), samples, List.of(), attempts,
                List.of(), null, null), Clock.systemUTC());

        assertThat(text).contains("memory cap 600 MB (watched)", "peak memory 470.0 MB of its 600 MB cap, peak heap 30.0 MB");
        assertThat(text).containsPattern("1 +first +128 MB +400 MB +20.0 MB +402.0 MB +out_of_memory +1 +the task's processes");
        assertThat(text).containsPattern("2 +retry +192 MB +600 MB +30.0 MB +470.0 MB +completed +0");
        assertThat(text).contains("Memory over time", "428 MB |", "# process tree (shared pages counted once)",
                ": worker heap in use   memory cap 600 MB");
        // The tree climbs to the top; the heap stays in the bottom rows.
        assertThat(text).containsPattern("428 MB \\| +#").containsPattern("0 MB \\|:+");
    }

    @Test
    void an_in_process_java_agent_says_its_memory_is_not_measured() {
        TaskRecord task = completed("t-3", "java:Agent", Mode.IN_PROCESS, Duration.ofSeconds(1)).exitCode(null).build();

        String text = TaskDetail.render(new TaskDetail.Facts(task, "completed", List.of(), Map.of(), List.of(), List.of(), List.of(),
                List.of(), null, null), Clock.systemUTC());

        assertThat(text).contains("no memory cap (in-process Java agent)",
                "memory not measured: an in-process Java agent shares the supervisor's heap").doesNotContain("peak heap");
    }

    @Test
    void a_task_that_used_a_sliver_of_its_caps_still_draws_its_memory() {
        List<MemorySampleRecord> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            samples.add(new MemorySampleRecord("t-4", T0.plusSeconds(i), new MemorySample(30 + i, 64, 4096, 1, 10, 60, 1, 1),
                    45.0 + i, 2));
        }

        String chart = MemoryChart.render(samples, 8192);

        assertThat(chart).startsWith("  54 MB |");
        assertThat(chart.lines().filter(line -> line.contains("|") && (line.contains("#") || line.contains(":"))).count())
                .as("rows with something drawn").isEqualTo(MemoryChart.ROWS);
    }

    /** A task that completed after running for {@code took}, started at T0; its caps and peaks unknown. */
    private static TaskRecord.Builder completed(String id, String agent, Mode mode, Duration took) {
        boolean longRunning = mode == Mode.WORKER;
        return TaskRecord.builder(id).supervisorId("s-1").prompt("Implement it").agent(agent)
                .complexity(longRunning ? 0.8 : 0.1).longRunning(longRunning).mode(mode)
                .routingReason(longRunning ? "long" : "short").state(TaskState.COMPLETED).exitCode(0).pid(42L)
                .timeoutMs(600_000).workDir("/work").createdAt(T0).startedAt(T0).finishedAt(T0.plus(took))
                .executionTimeMs(took.toMillis()).resultJson("{}").version(1).attempts(1);
    }
}
