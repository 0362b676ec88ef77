package dev.mayfly.cli;

import dev.mayfly.batch.BatchProgress;
import dev.mayfly.client.BatchView;
import dev.mayfly.client.MayflyClient;
import dev.mayfly.client.MayflyClientException;
import dev.mayfly.client.RunView;
import dev.mayfly.client.TaskEvent;
import dev.mayfly.client.TaskSubmission;
import dev.mayfly.client.TaskView;
import dev.mayfly.errors.UsageException;
import dev.mayfly.json.Json;
import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code mayfly run} as a server's client: the task (or workflow run) is stored queued by the server
 * and runs in its pool with everyone else's; this process follows it (what happens, on standard
 * error), then prints how it ended as a standalone run does and exits with the same status. Ctrl-C
 * asks whether to cancel it or leave it running (without a terminal to ask on, it cancels, as a
 * standalone run's Ctrl-C stops its work).
 */
final class RemoteRun {

    /** How often a followed run is looked at: its steps take seconds at the least. */
    private static final long RUN_POLL_MS = 500;

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
    int task(TaskSubmission submission, boolean json, boolean detach) throws InterruptedException {
        TaskView task = refusedAsBadInput(() -> client.submit(submission));
        String id = task.taskId();
        err.println("[Server] Task " + id + " queued on the server at " + client.url());
        if (detach) {
            detached(id, task.state(), json ? Json.write(ResultJson.of(task)) : null);
            return ExitCodes.OK;
        }
        CountDownLatch printed = onInterrupt("task", id, client::cancel);
        try {
            TaskView ended = client.follow(id, this::progress);
            if (!ended.ended()) {
                return serverGone("task", id, ended.state());
            }
            if (json) {
                out.println(Json.write(ResultJson.of(ended)));
            } else {
                new TaskEnd(id, ended.verdict(), ended.mode(), ended.executionTimeMs() == null ? 0 : ended.executionTimeMs(),
                        MemoryFigures.of(ended.residentPeakMb(), ended.memoryCapMb(), ended.memoryPeakMb()), ended.error(),
                        ended.result() == null ? null : Json.write(ended.result()), ended.folder()).print(out);
            }
            out.flush();
            return exitCode(ended);
        } finally {
            printed.countDown();
        }
    }

    /**
     * Starts a workflow run with these fields ({@code POST /api/v1/runs}); with {@code detach} returns
     * once it is stored, else follows its steps to its end.
     */
    int workflow(Map<String, Object> fields, boolean json, boolean detach) throws InterruptedException {
        RunView run = refusedAsBadInput(() -> client.startRun(fields));
        err.println("[Server] Run " + run.runId() + " of workflow " + run.workflow() + " started on the server at "
                + client.url());
        if (detach) {
            detached(run.runId(), run.status(), json ? Json.write(Map.of("runId", run.runId(), "status", run.status())) : null);
            return ExitCodes.OK;
        }
        return followRun(run, json);
    }

    /** Takes up a run in the server ({@code mayfly resume RUN_ID}) and follows it to its end. */
    int resumeRun(String runId, Map<String, Object> fields, boolean json) throws InterruptedException {
        RunView run = refusedAsBadInput(() -> client.resumeRun(runId, fields));
        err.println("[Server] Run " + runId + " resumed on the server at " + client.url());
        return followRun(run, json);
    }

    /** Follows a run's steps to its end, then prints it as a standalone run does. */
    private int followRun(RunView started, boolean json) throws InterruptedException {
        RunView run = started;
        String id = run.runId();
        CountDownLatch printed = onInterrupt("run", id, client::cancelRun);
        try {
            Map<String, String> said = new HashMap<>();
            while (!run.ended()) {
                for (RunView.Step step : run.steps()) {
                    String now = step.status() + (step.taskId() == null ? "" : " " + step.taskId());
                    if (!now.equals(said.put(step.id(), now)) && !step.status().equals("waiting")) {
                        err.println("[Server] step " + step.id() + " " + now);
                    }
                }
                Thread.sleep(RUN_POLL_MS);
                run = client.run(id);
            }
            WorkflowRuns.Ended ended = WorkflowRuns.Ended.of(run, client);
            WorkflowRuns.print(out, ended, json);
            return WorkflowRuns.exitCode(ended);
        } catch (MayflyClientException e) {
            if (e.status() == 0) {
                return serverGone("run", id, "running");
            }
            throw e;
        } finally {
            printed.countDown();
        }
    }

    /**
     * Sends a batch's lines ({@code POST /api/v1/batches}); with {@code detach} returns once they are
     * stored, else shows its progress as a standalone batch does and prints the same summary.
     *
     * @param lines each runnable line's fields, keyed by its number in the file
     * @param problems the file's lines left out, for the summary
     */
    int batch(Map<Integer, Map<String, Object>> lines, Path workDir, List<String> problems, boolean json, boolean detach)
            throws InterruptedException {
        List<Integer> numbers = List.copyOf(lines.keySet());
        BatchView batch = refusedAsBadInput(() -> client.submitBatch(List.copyOf(lines.values()), workDir));
        String id = batch.batchId();
        err.println("mayfly: batch " + id + ": " + batch.lines() + " task(s) stored on the server at " + client.url()
                + "; if it is stopped, 'mayfly resume " + id + "' runs what did not complete");
        if (detach) {
            detached(id, batch.state(), json ? Json.write(Map.of("batchId", id, "state", batch.state())) : null);
            return ExitCodes.OK;
        }
        // The server numbers the lines it was sent from 1; the file's numbers are said here.
        return followBatch(batch, line -> numbers.get(line - 1), problems, json);
    }

    /** Takes up a batch in the server ({@code mayfly resume BATCH_ID}) and follows it to its end. */
    int resumeBatch(String batchId, boolean json) throws InterruptedException {
        BatchView batch = refusedAsBadInput(() -> client.resumeBatch(batchId));
        err.println("mayfly: batch " + batchId + ": the lines that did not complete run again on the server at "
                + client.url());
        return followBatch(batch, line -> line, List.of(), json);
    }

    /**
     * Shows a batch's progress as a standalone batch does, then prints the same summary. Only the lines
     * not ended when it (re)started count: a resumed batch's completed lines are not run again.
     *
     * @param lineNumber the line number to say, from the server's
     */
    private int followBatch(BatchView started, IntUnaryOperator lineNumber, List<String> problems, boolean json)
            throws InterruptedException {
        BatchView batch = started;
        String id = batch.batchId();
        Set<String> before = new HashSet<>();
        started.tasks().stream().filter(line -> line.task().ended()).forEach(line -> before.add(line.task().taskId()));
        CountDownLatch printed = onInterrupt("batch", id, client::cancelBatch);
        Instant since = Instant.now();
        BatchProgress[] now = {progress(batch, before, since)};
        ProgressDisplay display = new ProgressDisplay(err, System.console() != null && !json, () -> now[0]);
        display.start();
        try {
            List<BatchSummary.Line> ended = new ArrayList<>();
            Set<String> told = new HashSet<>(before);
            while (true) {
                now[0] = progress(batch, before, since);
                for (BatchView.Line line : batch.tasks()) {
                    if (line.task().ended() && told.add(line.task().taskId())) {
                        int number = lineNumber.applyAsInt(line.line());
                        ended.add(new BatchSummary.Line(number, line.task()));
                        // Counted as each line is told, as a batch run here counts them.
                        int failedSoFar = (int) ended.stream().filter(done -> !done.task().succeeded()).count();
                        display.ended(number, line.task(), new BatchProgress(now[0].total(), ended.size(), failedSoFar,
                                now[0].running(), now[0].waiting(), now[0].elapsed()));
                        if (json) {
                            Map<String, Object> object = new LinkedHashMap<>();
                            object.put("line", number);
                            object.putAll(ResultJson.of(line.task()));
                            out.println(Json.write(object));
                        }
                    }
                }
                if (batch.ended()) {
                    break;
                }
                Thread.sleep(RUN_POLL_MS);
                batch = client.batch(id);
            }
            display.stop();
            BatchSummary summary = new BatchSummary(id, ended.size(), ended, now[0], problems, false, true, List.of());
            summary.print(out, json);
            return summary.exitCode();
        } catch (MayflyClientException e) {
            display.stop();
            if (e.status() == 0) {
                return serverGone("batch", id, "running");
            }
            throw e;
        } finally {
            printed.countDown();
        }
    }

    /**
     * Where a batch in a server stands, as a standalone batch's progress says it: its lines not ended
     * {@code before}, and the time since this process began to follow it.
     */
    private static BatchProgress progress(BatchView batch, Set<String> before, Instant since) {
        List<TaskView> tasks = batch.tasks().stream().map(BatchView.Line::task)
                .filter(task -> !before.contains(task.taskId())).toList();
        int done = (int) tasks.stream().filter(TaskView::ended).count();
        int failed = (int) tasks.stream().filter(task -> task.ended() && !task.succeeded()).count();
        int running = (int) tasks.stream().filter(task -> "running".equals(task.state())).count();
        return new BatchProgress(tasks.size(), done, failed, running, tasks.size() - done - running,
                Duration.between(since, Instant.now()));
    }

    /** What the server refuses as a bad field is bad input here too, as a bad flag is: exit 2. */
    private static <T> T refusedAsBadInput(Supplier<T> request) {
        try {
            return request.get();
        } catch (MayflyClientException e) {
            if (e.status() == 400) {
                throw new UsageException(e.getMessage());
            }
            throw e;
        }
    }

    private void detached(String id, String state, String json) {
        boolean run = id.startsWith("run-");
        boolean many = id.startsWith("batch-");
        out.println(json != null ? json : (run ? "Run " : many ? "Batch " : "Task ") + id + " " + state + " on the server at " + client.url()
                + " (" + (run || many ? "mayfly status " + id : "mayfly logs " + id + " --follow") + "; mayfly cancel " + id
                + ")");
    }

    private int serverGone(String kind, String id, String state) {
        err.println("mayfly: the server at " + client.url() + " stopped while " + kind + " " + id + " was " + state
                + "; the next server start settles it (mayfly status " + id + ")");
        return ExitCodes.FAILED;
    }

    /**
     * Ctrl-C while following: cancel (and wait for the end to be printed), or leave it running.
     *
     * @return counted down once the end is printed (or following stopped)
     */
    private CountDownLatch onInterrupt(String kind, String id, Predicate<String> cancel) {
        CountDownLatch printed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (printed.getCount() == 0) {
                return;
            }
            if (cancelChosen(kind, id)) {
                err.println("mayfly: cancelling " + kind + " " + id + " (its whole process tree is stopped)");
                cancel.test(id);
                ShutdownWait.forMainThread(printed);
            } else {
                err.println("mayfly: detached; " + kind + " " + id + " goes on in the server (mayfly status " + id
                        + "; mayfly cancel " + id + ")");
            }
        }, "mayfly-interrupt"));
        return printed;
    }

    private static boolean cancelChosen(String kind, String id) {
        Console console = System.console();
        if (console == null) {
            return true;
        }
        String answer = console.readLine("%nCancel %s %s (c), or detach and leave it running (d)? [c] ", kind, id);
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

    static int exitCode(TaskView task) {
        return ExitCodes.ofTask(task.succeeded(), "interrupted".equals(task.reason()));
    }
}
