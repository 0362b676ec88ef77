package dev.mayfly.cli;

import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.errors.UsageException;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.process.ProcFs;
import dev.mayfly.process.TaskMark;
import dev.mayfly.store.Stores;
import dev.mayfly.store.SupervisorRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code mayfly cancel TASK_ID}: asks the supervisor running a task, in whatever process it is, to
 * stop it; the task ends {@code cancelled}. The request goes through the store, which that supervisor
 * looks at four times a second; this command waits until the task has ended and says how.
 */
@Command(name = "cancel", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cancels a queued or running task: its supervisor (the 'mayfly run' or batch running it, in "
                + "any process) stops it as at a timeout (a polite stop, the grace period, then its whole process "
                + "tree is ended) and records it cancelled; it is never retried. Waits until the task has ended.",
            "A task whose supervisor is gone is recorded cancelled at once, and what is left of its processes on "
                + "this machine is ended."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the task is cancelled", "1:the task had ended already, or ended otherwise, or did not stop "
                + "in time", "2:no such task, or bad input"})
final class CancelCommand implements Callable<Integer> {

    /** How often the store is asked whether the task has ended. */
    private static final long POLL_MS = 100;
    /** Beyond the grace period: the supervisor's next look at the store, the kill, the store write. */
    private static final Duration STOP_ALLOWANCE = Duration.ofSeconds(15);

    @Parameters(index = "0", paramLabel = "TASK_ID", description = "The task, as 'mayfly status' lists it.")
    String taskId;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = common.settings(SettingsReader.Flags.none());
        if (taskId.startsWith("run-") || taskId.startsWith("batch-")) {
            throw new UsageException("'" + taskId + "' is a workflow run or a batch; cancel one of its tasks ('mayfly "
                    + "status " + taskId + "' names them): cancelling a whole run or batch is not supported yet");
        }
        if (!Stores.exists(settings.store())) {
            throw new UsageException("no task '" + taskId + "': there is no store at " + settings.store() + " yet");
        }
        try (TaskStore store = Stores.open(settings.store(), common.clock())) {
            Instant asked = common.clock().instant();
            TaskRecord task = store.requestCancel(taskId, asked).orElseThrow(() -> new UsageException("no task '"
                    + taskId + "' in " + settings.store() + "; 'mayfly status' lists the recent ones"));
            if (task.state().terminal()) {
                System.out.println("Task " + taskId + " had already ended: " + ended(task) + "; nothing to cancel.");
                return ExitCodes.FAILED;
            }
            Optional<SupervisorRecord> owner = store.findSupervisor(task.supervisorId());
            if (owner.isEmpty() || !SupervisorLiveness.isAlive(owner.get(), common.clock())) {
                return cancelOrphan(store, task);
            }
            System.out.println("Cancel requested: task " + taskId + " is " + task.state().label() + " under "
                    + owner.get().id() + " (pid " + owner.get().pid() + "); waiting for it to stop...");
            return await(store, asked, settings.gracePeriod().plus(STOP_ALLOWANCE));
        }
    }

    /** The task's supervisor is gone: nobody else will stop it, so this command records it and ends its processes. */
    private int cancelOrphan(TaskStore store, TaskRecord task) {
        boolean recorded = store.finish(taskId, TaskOutcome.cancelled(TaskOutcome.CANCELLED_BY_USER + "; its supervisor "
                + task.supervisorId() + " was gone"), common.clock().instant());
        Map<Long, String> ended = new TaskMark(taskId).endAll(ProcFs.system(), Duration.ofSeconds(1));
        if (!recorded) {
            TaskRecord now = store.findTask(taskId).orElseThrow();
            System.out.println("Task " + taskId + " ended meanwhile: " + ended(now) + ".");
            return now.state() == TaskState.CANCELLED ? ExitCodes.OK : ExitCodes.FAILED;
        }
        System.out.println("Task " + taskId + " cancelled: its supervisor " + task.supervisorId() + " was gone"
                + (ended.isEmpty() ? "" : "; ended " + ended.size() + " process(es) it had left: "
                        + String.join("; ", ended.values())) + ".");
        return ExitCodes.OK;
    }

    private int await(TaskStore store, Instant asked, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            TaskRecord task = store.findTask(taskId).orElseThrow();
            if (task.state().terminal()) {
                if (task.state() == TaskState.CANCELLED) {
                    System.out.println("Task " + taskId + " cancelled after "
                            + Duration.between(asked, common.clock().instant()).toMillis() + " ms.");
                    return ExitCodes.OK;
                }
                System.out.println("Task " + taskId + " ended before the cancel reached it: " + ended(task) + ".");
                return ExitCodes.FAILED;
            }
            Thread.sleep(POLL_MS);
        }
        System.out.println("Task " + taskId + " has not stopped within " + limit.toSeconds() + " s; the cancel stays "
                + "requested and its supervisor carries it out ('mayfly status " + taskId + "' follows it).");
        return ExitCodes.FAILED;
    }

    private static String ended(TaskRecord task) {
        return task.state().label() + (task.reason() == null ? "" : " (" + task.reason().label() + ")");
    }
}
