package dev.mayfly.cli;

import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.errors.UsageException;
import dev.mayfly.orchestrator.ControlClient;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.process.ProcFs;
import dev.mayfly.process.TaskMark;
import dev.mayfly.store.BatchRecord;
import dev.mayfly.store.BatchStore;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.RunStepRecord;
import dev.mayfly.store.Stores;
import dev.mayfly.store.SupervisorRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code mayfly cancel ID}: asks the supervisor running a task, a workflow run or a batch, in
 * whatever process it is, to stop it; it ends {@code cancelled}. The request is stored, then that
 * supervisor is told through its control endpoint to carry it out now (without the endpoint, it finds
 * the request at its next look at the store, within a quarter of a second); this command waits until
 * the work has ended and says how.
 */
final class CancelCommand implements Subcommand {

    /** How often the store is asked whether the work has ended. */
    private static final long POLL_MS = 100;
    /** Beyond the grace period: the supervisor's next look at the store, the kill, the store write. */
    private static final Duration STOP_ALLOWANCE = Duration.ofSeconds(15);
    private static final String CANCELLED = TaskState.CANCELLED.label();

    String id;
    final CommonOptions common = new CommonOptions();

    @Override
    public CommandSpec spec() {
        return common.addTo(new CommandSpec("mayfly cancel", this,
                "Cancels a queued or running task, workflow run or batch: its supervisor (the 'mayfly run' or batch "
                        + "running it, in any process) stops each of its running tasks as at a timeout (a polite stop, the "
                        + "grace period, then the whole process tree is ended), starts nothing more, and records it "
                        + "cancelled; it is never retried, and a cancelled run or batch is not resumed. Waits until it has "
                        + "ended.",
                "Work whose supervisor is gone is recorded cancelled at once, and what is left of its processes on this "
                        + "machine is ended.")
                .parameters("ID", "The task, workflow run (run-…) or batch (batch-…), as 'mayfly status' lists it.", 1, 1,
                        value -> id = value)
                .exitCode("0", "it is cancelled")
                .exitCode("1", "it had ended already, or ended otherwise, or did not stop in time")
                .exitCode("2", "no such task, run or batch, or bad input"));
    }

    /** What is cancelled: a task, a run or a batch, as the store has it now. */
    private interface Target {
        /** "task t-1", "run run-1", "batch batch-1". */
        String name();

        /** Its state's label once it has ended (with the reason, for a task), or null while it has not. */
        String ended(TaskStore store);

        String supervisorId();

        /** Records it cancelled, with its unended tasks, because its supervisor is gone; ends their processes. */
        String settleOrphan(TaskStore store, Instant at);
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = common.settings(SettingsReader.Flags.none());
        String kind = id.startsWith("run-") ? "run" : id.startsWith("batch-") ? "batch" : "task";
        if (!Stores.exists(settings.store())) {
            throw new UsageException("no " + kind + " '" + id + "': there is no store at " + settings.store() + " yet");
        }
        try (TaskStore store = Stores.open(settings, common.clock())) {
            Instant asked = common.clock().instant();
            Target target = (switch (kind) {
                case "run" -> store.runs().requestCancel(id, asked).map(RunTarget::new);
                case "batch" -> store.batches().requestCancel(id, asked).map(BatchTarget::new);
                default -> store.requestCancel(id, asked).map(TaskTarget::new);
            }).orElseThrow(() -> new UsageException("no " + kind + " '" + id + "' in " + settings.store()
                    + "; 'mayfly status' lists the recent ones"));
            String ended = target.ended(store);
            if (ended != null) {
                System.out.println(capitalized(target.name()) + " had already ended: " + ended + "; nothing to cancel.");
                return ExitCodes.FAILED;
            }
            Optional<SupervisorRecord> owner = store.findSupervisor(target.supervisorId());
            if (owner.isEmpty() || !SupervisorLiveness.isAlive(owner.get(), common.clock())) {
                String settled = target.settleOrphan(store, common.clock().instant());
                System.out.println(capitalized(target.name()) + " " + settled + ".");
                return CANCELLED.equals(target.ended(store)) ? ExitCodes.OK : ExitCodes.FAILED;
            }
            String told = ControlClient.tellCancel(store, owner.get().id());
            System.out.println("Cancel requested for " + target.name() + " (its supervisor " + owner.get().id() + ", pid "
                    + owner.get().pid() + "; " + told + "); waiting for it to stop...");
            return await(store, target, asked, settings.gracePeriod().plus(STOP_ALLOWANCE));
        }
    }

    private int await(TaskStore store, Target target, Instant asked, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            String ended = target.ended(store);
            if (ended != null) {
                if (ended.equals(CANCELLED)) {
                    System.out.println(capitalized(target.name()) + " cancelled after "
                            + Duration.between(asked, common.clock().instant()).toMillis() + " ms.");
                    return ExitCodes.OK;
                }
                System.out.println(capitalized(target.name()) + " ended before the cancel reached it: " + ended + ".");
                return ExitCodes.FAILED;
            }
            Thread.sleep(POLL_MS);
        }
        System.out.println(capitalized(target.name()) + " has not stopped within " + limit.toSeconds() + " s; the cancel "
                + "stays requested and its supervisor carries it out ('mayfly status " + id + "' follows it).");
        return ExitCodes.FAILED;
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** How cancelling a task whose supervisor is gone went: whether it was recorded cancelled, and what was done. */
    private record OrphanEnd(boolean cancelled, String said) {}

    /**
     * Records a task cancelled because its supervisor is gone, and ends whatever of its processes is
     * left on this machine; says what it did, or how the task had ended meanwhile.
     */
    private static OrphanEnd cancelOrphanTask(TaskStore store, String taskId, String supervisorId, Instant at) {
        boolean started = store.findTask(taskId).orElseThrow().state() != TaskState.QUEUED;
        boolean recorded = store.finish(taskId, TaskOutcome.cancelled(TaskOutcome.CANCELLED_BY_USER + "; its supervisor "
                + supervisorId + " was gone"), at);
        // A task that never started has no processes: the look through /proc is spared for each of them.
        long supervisorPid = store.findSupervisor(supervisorId).map(SupervisorRecord::pid).orElse(-1L);
        Map<Long, String> ended = started ? new TaskMark(taskId, supervisorPid).endAll(ProcFs.system(), Duration.ofSeconds(1))
                : Map.of();
        if (!recorded) {
            return new OrphanEnd(false, "ended meanwhile: " + TaskTarget.label(store.findTask(taskId).orElseThrow()));
        }
        return new OrphanEnd(true, "cancelled: its supervisor " + supervisorId + " was gone" + (ended.isEmpty() ? ""
                : "; ended " + ended.size() + " process(es) it had left: " + String.join("; ", ended.values())));
    }

    /** Each queued or running task of a run or batch whose supervisor is gone, cancelled; how many. */
    private static int cancelOrphanTasks(TaskStore store, List<String> taskIds, String supervisorId, Instant at) {
        int cancelled = 0;
        for (String taskId : taskIds) {
            if (cancelOrphanTask(store, taskId, supervisorId, at).cancelled()) {
                cancelled++;
            }
        }
        return cancelled;
    }

    private record TaskTarget(TaskRecord task) implements Target {
        @Override
        public String name() {
            return "task " + task.id();
        }

        @Override
        public String ended(TaskStore store) {
            TaskRecord now = store.findTask(task.id()).orElseThrow();
            return now.state().terminal() ? label(now) : null;
        }

        static String label(TaskRecord task) {
            return task.state().label() + (task.reason() == null ? "" : " (" + task.reason().label() + ")");
        }

        @Override
        public String supervisorId() {
            return task.supervisorId();
        }

        @Override
        public String settleOrphan(TaskStore store, Instant at) {
            return cancelOrphanTask(store, task.id(), task.supervisorId(), at).said();
        }
    }

    private record RunTarget(RunRecord run) implements Target {
        @Override
        public String name() {
            return "run " + run.id();
        }

        @Override
        public String ended(TaskStore store) {
            RunRecord.State state = store.runs().findRun(run.id()).orElseThrow().state();
            return state == RunRecord.State.RUNNING ? null : state.label();
        }

        @Override
        public String supervisorId() {
            return run.supervisorId();
        }

        @Override
        public String settleOrphan(TaskStore store, Instant at) {
            List<RunStepRecord> steps = store.runs().steps(run.id());
            // The running steps' tasks: an ended step's task is left as it ended, and its processes are not looked for.
            List<String> taskIds = steps.stream().filter(step -> step.state() == RunStepRecord.State.RUNNING)
                    .map(RunStepRecord::taskId).filter(Objects::nonNull).toList();
            int cancelled = cancelOrphanTasks(store, taskIds, run.supervisorId(), at);
            for (RunStepRecord step : steps) {
                if (step.state() == RunStepRecord.State.WAITING || step.state() == RunStepRecord.State.RUNNING) {
                    store.runs().stepEnded(run.id(), step.stepId(), RunStepRecord.State.CANCELLED, null,
                            "the run was cancelled; its supervisor " + run.supervisorId() + " was gone", at);
                }
            }
            store.runs().runEnded(run.id(), RunRecord.State.CANCELLED, null, at);
            return "cancelled: its supervisor " + run.supervisorId() + " was gone; " + cancelled + " task(s) of it "
                    + "cancelled";
        }
    }

    private record BatchTarget(BatchRecord batch) implements Target {
        @Override
        public String name() {
            return "batch " + batch.id();
        }

        @Override
        public String ended(TaskStore store) {
            BatchRecord.State state = store.batches().findBatch(batch.id()).orElseThrow().state();
            return state == BatchRecord.State.RUNNING ? null : state.label();
        }

        @Override
        public String supervisorId() {
            return batch.supervisorId();
        }

        @Override
        public String settleOrphan(TaskStore store, Instant at) {
            List<String> unended = store.batches().lastTasks(batch.id()).stream()
                    .filter(line -> !line.state().terminal()).map(BatchStore.LineTask::taskId).toList();
            int cancelled = cancelOrphanTasks(store, unended, batch.supervisorId(), at);
            store.batches().batchEnded(batch.id(), BatchRecord.State.CANCELLED, at);
            return "cancelled: its supervisor " + batch.supervisorId() + " was gone; " + cancelled + " line(s) of it "
                    + "cancelled";
        }
    }
}
