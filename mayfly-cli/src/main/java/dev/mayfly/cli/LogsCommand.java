package dev.mayfly.cli;

import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.config.StoreLocation;
import dev.mayfly.errors.UsageException;
import dev.mayfly.log.FileFollower;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.store.Stores;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import java.io.IOException;
import java.nio.file.Path;

/** {@code mayfly logs TASK_ID [--follow]}: a task's log, whole, or as it grows until the task ends. Reads only. */
final class LogsCommand implements Subcommand {

    /** How often --follow asks the store whether the task has ended. */
    private static final long STATE_POLL_MS = 500;

    String taskId;
    boolean follow;
    final CommonOptions common = new CommonOptions();

    @Override
    public CommandSpec spec() {
        return common.addTo(new CommandSpec("mayfly logs", this,
                "Prints a task's log (everything its agent printed, on both streams), running or finished. With "
                        + "--follow, keeps printing what is added until the task ends.")
                .parameters("TASK_ID", "The task, as 'mayfly status' lists it.", 1, 1, value -> taskId = value)
                .flag("Keep printing what the task adds to its log until it ends.", () -> follow = true, "-f", "--follow"));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Settings settings = common.settings(SettingsReader.Flags.none());
        StoreLocation file = settings.store();
        if (!Stores.exists(file)) {
            throw new UsageException("no task '" + taskId + "': there is no store at " + file + " yet");
        }
        try (TaskStore store = Stores.openToRead(settings, common.clock())) {
            TaskRecord task = find(store, settings);
            Path log = Path.of(task.logPath());
            if (!follow) {
                FileFollower.copyAll(log, System.out);
                return ExitCodes.OK;
            }
            try (FileFollower follower = FileFollower.start(log, System.out)) {
                while (stillRunning(store, settings)) {
                    Thread.sleep(STATE_POLL_MS);
                }
            }
        }
        return ExitCodes.OK;
    }

    private TaskRecord find(TaskStore store, Settings settings) {
        if (taskId.startsWith("run-")) {
            throw new UsageException("'" + taskId + "' is a workflow run, whose steps each have a task and a log: "
                    + "'mayfly status " + taskId + "' names them");
        }
        return store.findTask(taskId).orElseThrow(() -> new UsageException("no task '" + taskId + "' in "
                + settings.store() + "; 'mayfly status' lists the recent ones"));
    }

    /** The task has not ended, and the supervisor running it is alive (else it never will, until the next start). */
    private boolean stillRunning(TaskStore store, Settings settings) {
        TaskRecord task = find(store, settings);
        if (task.state().terminal()) {
            return false;
        }
        boolean alive = store.findSupervisor(task.supervisorId())
                .map(supervisor -> SupervisorLiveness.isAlive(supervisor, common.clock())).orElse(false);
        if (!alive) {
            System.err.println("mayfly: the supervisor running " + taskId + " is gone; the next start of Mayfly "
                    + "settles the task");
        }
        return alive;
    }
}
