package dev.mayfly.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.task.FailureReason;
import dev.mayfly.task.RetryPolicy;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskOutcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeHeapAndRetryPolicyTest {

    @Test
    void node_gets_sixty_percent_of_the_cap_unless_the_user_set_its_heap() {
        assertThat(NodeHeap.nodeOptions(null, 512)).contains("--max-old-space-size=307");
        assertThat(NodeHeap.nodeOptions("--enable-source-maps", 8192))
                .contains("--enable-source-maps --max-old-space-size=4915");
        assertThat(NodeHeap.nodeOptions("--max-old-space-size=2048", 512)).isEmpty();
    }

    private static TaskOutcome failed(FailureReason reason) {
        return TaskOutcome.failed(reason, 137, 10, -1, -1, "why");
    }

    @Test
    void only_crashes_and_running_out_of_memory_are_retried_with_a_doubling_jittered_backoff() {
        TaskLimits limits = new TaskLimits(256, 1000, Duration.ofMinutes(1), 3, true, true);
        RetryPolicy lowest = new RetryPolicy(Duration.ofSeconds(2), () -> 0.0);
        RetryPolicy highest = new RetryPolicy(Duration.ofSeconds(2), () -> 0.999);

        for (FailureReason never : new FailureReason[] {FailureReason.ERROR, FailureReason.TIMED_OUT,
            FailureReason.INTERRUPTED}) {
            assertThat(lowest.next(limits, 0, failed(never), false, 4000)).as("%s", never).isEmpty();
        }
        assertThat(lowest.next(limits, 0, TaskOutcome.completed(0, 1, -1, -1, "{}"), false, 4000)).isEmpty();
        assertThat(lowest.next(limits, 3, failed(FailureReason.CRASHED), false, 4000)).as("retries spent").isEmpty();

        RetryPolicy.Retry crash = lowest.next(limits, 0, failed(FailureReason.CRASHED), false, 4000).orElseThrow();
        assertThat(crash.number()).isEqualTo(1);
        assertThat(crash.delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(crash.limits()).as("a crash is not memory's: the same limits").isEqualTo(limits);
        assertThat(crash.why()).isEqualTo("retry 1 of 3 in 1.0 s after crashed");
        assertThat(highest.next(limits, 2, failed(FailureReason.CRASHED), false, 4000).orElseThrow().delay())
                .as("2 s × 4 × 1.499").isEqualTo(Duration.ofMillis(11_992));

        RetryPolicy.Retry memory = lowest.next(limits, 1, failed(FailureReason.OUT_OF_MEMORY), false, 1200).orElseThrow();
        assertThat(memory.limits()).isEqualTo(new TaskLimits(384, 1200, Duration.ofMinutes(1), 3, true, true));
        assertThat(memory.why()).isEqualTo("retry 2 of 3 in 2.0 s after out_of_memory (heap 256 → 384 MB, memory cap "
                + "1000 → 1200 MB)");
        assertThat(lowest.next(limits, 0, failed(FailureReason.OUT_OF_MEMORY), true, 4000).orElseThrow().limits())
                .as("the host ran low, not the task: the same caps").isEqualTo(limits);
    }
}
