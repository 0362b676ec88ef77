package dev.mayfly.worker;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/**
 * A ready worker's warm-up walks a task's whole way, every step of it: one that failed silently
 * would leave the rest of the way cold (a sample message once read back as an unknown one, and
 * every step after it was skipped: 35 ms to the agent instead of 12).
 */
class WorkerWarmUpTest {

    @Test
    void the_full_warm_up_runs_every_step_of_a_task_s_way() {
        assertThatCode(WorkerWarmUp::full).doesNotThrowAnyException();
    }
}
