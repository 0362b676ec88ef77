package dev.mayfly.store;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The allowed transitions of a workflow run and of its steps, written down once, as
 * {@link dev.mayfly.task.TaskStateMachine} is for tasks. The store checks every change of a run's or
 * a step's state here and makes it only from the state it read; a change that is not allowed is a
 * mistake in the caller and is refused loudly.
 *
 * <pre>
 *   run:  running   → completed | failed | cancelled | running (resumed after its supervisor was gone)
 *         failed    → running (resumed)
 *   step: waiting   → running | skipped (a step it needs did not complete) | cancelled (its run was)
 *         running   → completed | failed | cancelled | waiting (its run resumed after its supervisor was gone)
 *         failed    → waiting (its run resumed)
 *         skipped   → waiting (its run resumed)
 *         cancelled → waiting (its task alone was cancelled, so the run failed, and it is resumed)
 * </pre>
 *
 * Completed runs and steps are final: a resume keeps them. A cancelled run is final too: a user
 * ended it, and it is never resumed.
 */
public final class RunStateMachine {

    private static final Map<RunRecord.State, Set<RunRecord.State>> RUNS = Map.of(
            RunRecord.State.RUNNING, EnumSet.of(RunRecord.State.COMPLETED, RunRecord.State.FAILED,
                    RunRecord.State.CANCELLED, RunRecord.State.RUNNING),
            RunRecord.State.FAILED, EnumSet.of(RunRecord.State.RUNNING),
            RunRecord.State.COMPLETED, EnumSet.noneOf(RunRecord.State.class),
            RunRecord.State.CANCELLED, EnumSet.noneOf(RunRecord.State.class));

    private static final Map<RunStepRecord.State, Set<RunStepRecord.State>> STEPS = Map.of(
            RunStepRecord.State.WAITING, EnumSet.of(RunStepRecord.State.RUNNING, RunStepRecord.State.SKIPPED,
                    RunStepRecord.State.CANCELLED),
            RunStepRecord.State.RUNNING, EnumSet.of(RunStepRecord.State.COMPLETED, RunStepRecord.State.FAILED,
                    RunStepRecord.State.CANCELLED, RunStepRecord.State.WAITING),
            RunStepRecord.State.FAILED, EnumSet.of(RunStepRecord.State.WAITING),
            RunStepRecord.State.SKIPPED, EnumSet.of(RunStepRecord.State.WAITING),
            RunStepRecord.State.CANCELLED, EnumSet.of(RunStepRecord.State.WAITING),
            RunStepRecord.State.COMPLETED, EnumSet.noneOf(RunStepRecord.State.class));

    private RunStateMachine() {}

    public static boolean allowed(RunRecord.State from, RunRecord.State to) {
        return RUNS.get(from).contains(to);
    }

    public static boolean allowed(RunStepRecord.State from, RunStepRecord.State to) {
        return STEPS.get(from).contains(to);
    }
}
