package dev.mayfly.cli;

import dev.mayfly.client.MayflyClient;
import dev.mayfly.client.MayflyClientException;
import dev.mayfly.client.TaskEvent;
import dev.mayfly.client.TaskSubmission;
import dev.mayfly.client.TaskView;
import dev.mayfly.errors.UsageException;
import dev.mayfly.json.Json;
import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mayfly run} as a server's client: the task is stored queued by the server and runs in its
 * pool with everyone else's; this process follows it (its events on standard error), then prints how
 * it ended as a standalone run does and exits with the same status. Ctrl-C asks whether to cancel the
 * task or leave it running (without a terminal to ask on, it cancels, as a standalone run's Ctrl-C
 * stops its task).
 */
final class RemoteRun {

    private final MayflyClient client;
    private final PrintStream out;
    private final PrintStream err;

    RemoteRun(MayflyClient client, PrintStream out, PrintStream err) {
        this.client = client;
        this.out = out;
        this.err = err;
    }

    /**
     * Submits the task; with {@code detach} returns as soon as it is stored, else follows it to its end.
     *
     * @return the exit status
     */
    int run(TaskSubmission submission, boolean json, boolean detach) throws InterruptedException {
        TaskView task;
        try {
            task = client.submit(submission);
        } catch (MayflyClientException e) {
            // The server checks the fields as a standalone run checks its flags: a bad one is bad input here too.
            if (e.status() == 400) {
                throw new UsageException(e.getMessage());
            }
            throw e;
        }
        err.println("[Server] Task " + task.taskId() + " queued on the server at " + client.url());
        if (detach) {
            if (json) {
                out.println(Json.write(ResultJson.of(task)));
            } else {
                out.println("Task " + task.taskId() + " " + task.state() + " on the server at " + client.url()
                        + " (mayfly logs " + task.taskId() + " --follow; mayfly cancel " + task.taskId() + ")");
            }
            return ExitCodes.OK;
        }
        CountDownLatch printed = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> interrupted(task.taskId(), printed), "mayfly-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            TaskView ended = client.follow(task.taskId(), this::progress);
            if (!ended.ended()) {
                err.println("mayfly: the server at " + client.url() + " stopped while task " + task.taskId() + " was "
                        + ended.state() + "; the next server start settles it (mayfly status " + task.taskId() + ")");
                return ExitCodes.FAILED;
            }
            print(ended, json);
            return exitCode(ended);
        } finally {
            printed.countDown();
        }
    }

    /** Ctrl-C while following: cancel the task (and wait for its end to be printed), or leave it running. */
    private void interrupted(String taskId, CountDownLatch printed) {
        if (printed.getCount() == 0) {
            return;
        }
        if (cancelChosen(taskId)) {
            err.println("mayfly: cancelling task " + taskId + " (its whole process tree is stopped)");
            client.cancel(taskId);
            ShutdownWait.forMainThread(printed);
        } else {
            err.println("mayfly: detached; task " + taskId + " goes on in the server (mayfly logs " + taskId
                    + " --follow; mayfly cancel " + taskId + ")");
        }
    }

    private boolean cancelChosen(String taskId) {
        Console console = System.console();
        if (console == null) {
            return true;
        }
        String answer = console.readLine("%nCancel task %s (c), or detach and leave it running (d)? [c] ", taskId);
        return answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("d");
    }

    /** A stored event as one line on standard error; memory samples and log lines are not said here. */
    @SuppressWarnings("unchecked")
    private void progress(TaskEvent event) {
        if (event.id() == null) {
            return;
        }
        Object data = event.data().get("data");
        boolean some = data instanceof Map && !((Map<String, Object>) data).isEmpty();
        err.println("[Server] " + event.type() + (some ? " " + Json.write(data) : ""));
    }

    private void print(TaskView task, boolean json) {
        if (json) {
            out.println(Json.write(ResultJson.of(task)));
        } else {
            out.printf(Locale.ROOT, "Task %s %s (%s, %d ms, %s)%n", task.taskId(), task.verdict(), task.mode(),
                    task.executionTimeMs(), MemoryFigures.of(task.residentPeakMb(), task.memoryCapMb(), task.memoryPeakMb()));
            RunCommand.printRest(out, task.taskId(), task.error(), task.result() == null ? null : Json.write(task.result()),
                    task.folder());
        }
        out.flush();
    }

    static int exitCode(TaskView task) {
        if (task.succeeded()) {
            return ExitCodes.OK;
        }
        return "interrupted".equals(task.reason()) ? ExitCodes.INTERRUPTED : ExitCodes.FAILED;
    }
}
