package dev.mayfly.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.task.TaskState;
import dev.mayfly.task.TaskStateMachine;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transition tables of tasks, runs and steps, each pair of states checked (SqliteTaskStoreTest: the store keeping to them). */
class StateMachinesTest {

    /** Every pair "from>to" that the table allows, for comparison with the list a test expects. */
    private static <S extends Enum<S>> Set<String> allowedPairs(S[] states, java.util.function.BiPredicate<S, S> allowed) {
        List<String> pairs = new ArrayList<>();
        for (S from : states) {
            for (S to : states) {
                if (allowed.test(from, to)) {
                    pairs.add(from.name().toLowerCase() + ">" + to.name().toLowerCase());
                }
            }
        }
        return Set.copyOf(pairs);
    }

    @Test
    void a_task_moves_only_along_its_table() {
        assertThat(allowedPairs(TaskState.values(), TaskStateMachine::allowed)).containsExactlyInAnyOrder(
                "queued>running", "queued>failed", "queued>cancelled",
                "running>completed", "running>failed", "running>cancelled", "running>queued");
    }

    @Test
    void a_run_and_its_steps_move_only_along_their_tables() {
        assertThat(allowedPairs(RunRecord.State.values(), RunStateMachine::allowed)).containsExactlyInAnyOrder(
                "running>completed", "running>failed", "running>cancelled", "running>running", "failed>running");
        assertThat(allowedPairs(RunStepRecord.State.values(), RunStateMachine::allowed)).containsExactlyInAnyOrder(
                "waiting>running", "waiting>skipped", "waiting>cancelled",
                "running>completed", "running>failed", "running>cancelled", "running>waiting",
                "failed>waiting", "skipped>waiting", "cancelled>waiting");
    }
}
