package dev.mayfly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.task.TaskState;
import dev.mayfly.task.TaskStateMachine;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transition tables of tasks, runs and steps, each pair of states checked, and the run store keeping to them. */
class StateMachinesTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path home;

    private SqliteTaskStore store;

    @BeforeEach
    void open() {
        store = SqliteTaskStore.open(home.resolve("workers.db"));
        store.registerSupervisor(new SupervisorRecord("s-1", "host-a", 123, T0, T0));
        store.registerSupervisor(new SupervisorRecord("s-2", "host-a", 456, T0, T0));
    }

    @AfterEach
    void close() {
        store.close();
    }

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
                "running>completed", "running>failed", "running>running", "failed>running");
        assertThat(allowedPairs(RunStepRecord.State.values(), RunStateMachine::allowed)).containsExactlyInAnyOrder(
                "waiting>running", "waiting>skipped",
                "running>completed", "running>failed", "running>waiting",
                "failed>waiting", "skipped>waiting");
    }

    @Test
    void the_store_refuses_a_change_the_tables_do_not_allow_and_changes_nothing() {
        RunStore runs = store.runs();
        runs.createRun(new RunRecord("run-1", "s-1", "review", "built-in", "steps: []", "Review it", "{}", 0.8,
                RunRecord.State.RUNNING, null, home.resolve("runs/run-1").toString(), T0, null), List.of("a", "b"));

        assertThatThrownBy(() -> runs.stepEnded("run-1", "a", RunStepRecord.State.COMPLETED, "{}", null, T0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("step 'a' of run run-1 cannot go from waiting to completed");
        runs.stepStarted("run-1", "a", T0);
        runs.stepEnded("run-1", "a", RunStepRecord.State.COMPLETED, "{\"ok\":true}", null, T0);
        runs.stepEnded("run-1", "b", RunStepRecord.State.SKIPPED, null, "needs 'x'", T0);
        assertThatThrownBy(() -> runs.stepStarted("run-1", "a", T0))
                .hasMessage("step 'a' of run run-1 cannot go from completed to running");
        runs.runEnded("run-1", RunRecord.State.COMPLETED, null, T0);
        assertThatThrownBy(() -> runs.restartRun("run-1", "s-2", T0))
                .hasMessage("run run-1 cannot go from completed to running");
        assertThatThrownBy(() -> runs.stepStarted("run-1", "c", T0)).hasMessage("run run-1 has no step 'c'");

        assertThat(runs.findRun("run-1").orElseThrow().state()).isEqualTo(RunRecord.State.COMPLETED);
        assertThat(runs.steps("run-1")).extracting(RunStepRecord::state)
                .containsExactly(RunStepRecord.State.COMPLETED, RunStepRecord.State.SKIPPED);
        assertThat(runs.steps("run-1").get(0).resultJson()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void a_resumed_run_keeps_its_completed_steps_and_sets_the_others_waiting() {
        RunStore runs = store.runs();
        runs.createRun(new RunRecord("run-2", "s-1", "review", "built-in", "steps: []", "Review it", "{}", 0.8,
                RunRecord.State.RUNNING, null, home.resolve("runs/run-2").toString(), T0, null), List.of("a", "b", "c", "d"));
        runs.stepStarted("run-2", "a", T0);
        runs.stepEnded("run-2", "a", RunStepRecord.State.COMPLETED, "{}", null, T0);
        runs.stepStarted("run-2", "b", T0);
        runs.stepEnded("run-2", "b", RunStepRecord.State.FAILED, null, "error: boom", T0);
        runs.stepEnded("run-2", "c", RunStepRecord.State.SKIPPED, null, "needs 'b'", T0);
        runs.runEnded("run-2", RunRecord.State.FAILED, "b", T0);

        runs.restartRun("run-2", "s-2", T0.plusSeconds(60));

        RunRecord run = runs.findRun("run-2").orElseThrow();
        assertThat(run.state()).isEqualTo(RunRecord.State.RUNNING);
        assertThat(run.failedStep()).isNull();
        assertThat(runs.steps("run-2")).extracting(RunStepRecord::state).containsExactly(RunStepRecord.State.COMPLETED,
                RunStepRecord.State.WAITING, RunStepRecord.State.WAITING, RunStepRecord.State.WAITING);
        assertThat(runs.steps("run-2")).extracting(RunStepRecord::error).containsOnlyNulls();
    }
}
