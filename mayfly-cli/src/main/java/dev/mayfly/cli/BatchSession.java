package dev.mayfly.cli;

import dev.mayfly.batch.BatchProgress;
import dev.mayfly.batch.BatchRunner;
import dev.mayfly.batch.DurableBatch;
import dev.mayfly.config.Settings;
import dev.mayfly.json.Json;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.store.BatchRecord;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A durable batch's run through one orchestrator, for {@code batch} and {@code resume batch-…}:
 * the batch stored, its lines run with a progress line, Ctrl-C handled, the summary printed once,
 * the batch's end recorded, and the exit status.
 */
final class BatchSession {

    private static final String STOPPED = "the batch was stopped (Ctrl-C or SIGTERM)";

    private final Settings settings;
    private final CommonOptions common;
    private final boolean json;
    private final String source;
    private final List<String> problems;
    /** Guarded by this: set once the summary is printed, by the main thread or the Ctrl-C hook. */
    private boolean summarized;
    private final AtomicBoolean interrupted = new AtomicBoolean();
    /** Guarded by this: set once the batch's end is recorded. */
    private boolean ended;

    /**
     * @param source what the lines come from, for messages: the batch file, or the batch resumed
     * @param problems the lines left out, for the summary
     */
    BatchSession(Settings settings, CommonOptions common, boolean json, String source, List<String> problems) {
        this.settings = settings;
        this.common = common;
        this.json = json;
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** @param open stores the batch (new, or resumed) once the orchestrator runs */
    int run(Function<Orchestrator, DurableBatch> open) throws InterruptedException {
        PrintStream err = System.err;
        PrintStream out = System.out;
        OrchestratorLog log = common.log(settings, err, false);
        Orchestrator orchestrator = Orchestrator.start(settings, log, common.clock());
        DurableBatch batch;
        try {
            batch = open.apply(orchestrator);
        } catch (RuntimeException e) {
            orchestrator.close();
            throw e;
        }
        err.println("mayfly: batch " + batch.id() + ": " + batch.lines().size() + " task(s) stored; if it is stopped, "
                + "'mayfly resume " + batch.id() + "' runs what did not complete");
        ProgressDisplay[] display = new ProgressDisplay[1];
        BatchRunner runner = new BatchRunner(orchestrator, batch, settings.maxWorkers(), (line, result, progress) -> {
            display[0].ended(line, BatchSummary.view(result), progress);
            if (json) {
                Map<String, Object> object = new LinkedHashMap<>();
                object.put("line", line);
                object.putAll(ResultJson.of(result));
                synchronized (out) {
                    out.println(Json.write(object));
                    out.flush();
                }
            }
        }, common.clock());
        display[0] = new ProgressDisplay(err, System.console() != null && !json, runner::progress);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Ctrl-C or SIGTERM: start nothing more, stop the running, record the rest, and say what happened.
            interrupted.set(true);
            runner.stop();
            orchestrator.stopTasks();
            runner.awaitEnd(5000);
            end(batch, orchestrator, BatchRecord.State.INTERRUPTED);
            orchestrator.close();
            display[0].stop();
            summarize(out, runner, batch, orchestrator);
        }, "mayfly-cleanup"));
        display[0].start();
        runner.run();
        // A lost store can say nothing more, and is reported on its own below.
        if (orchestrator.store().lost().isEmpty()) {
            end(batch, orchestrator, batch.endState(interrupted.get(), runner.progress().failed()));
        }
        orchestrator.close();
        display[0].stop();
        summarize(out, runner, batch, orchestrator);
        Optional<String> lost = orchestrator.store().lost();
        if (lost.isPresent()) {
            err.println("mayfly: " + lost.get() + "; " + runner.progress().waiting() + " line(s) of " + source
                    + " were not started");
            return ExitCodes.FAILED;
        }
        return summary(runner, batch, orchestrator).exitCode();
    }

    /**
     * Records the batch's end once, by the main thread or the Ctrl-C hook, whichever comes first:
     * lines that never started (only a stop leaves any) end as interrupted, for a resume.
     * Synchronized, not merely once: the JVM exits when the hook returns, so the hook must wait
     * for the main thread to finish what it began.
     */
    private synchronized void end(DurableBatch batch, Orchestrator orchestrator, BatchRecord.State state) {
        if (ended || orchestrator.store().lost().isPresent()) {
            return;
        }
        ended = true;
        try {
            batch.end(state, STOPPED);
        } catch (RuntimeException e) {
            System.err.println("mayfly: could not record the end of batch " + batch.id() + ": " + e.getMessage());
        }
    }

    /** How the batch went, from the runner's results. */
    private BatchSummary summary(BatchRunner runner, DurableBatch batch, Orchestrator orchestrator) {
        List<BatchSummary.Line> ended = runner.results().stream()
                .map(result -> new BatchSummary.Line(result.line(), BatchSummary.view(result.task()))).toList();
        List<String> unrecorded = runner.results().stream().map(result -> result.task().unrecorded())
                .filter(why -> why != null).toList();
        BatchProgress progress = runner.progress();
        // A batch in a store that was deleted or replaced cannot be resumed.
        return new BatchSummary(batch.id(), progress.done(), ended, progress, problems, interrupted.get(),
                orchestrator.store().lost().isEmpty(), unrecorded);
    }

    /**
     * Prints the summary once, whoever gets here first: the main thread, or the shutdown hook on
     * Ctrl-C. Synchronized, as {@link #end} is: a hook that returned while the main thread was still
     * printing would end the JVM with the summary half-written or not at all.
     */
    private synchronized void summarize(PrintStream out, BatchRunner runner, DurableBatch batch,
            Orchestrator orchestrator) {
        if (summarized) {
            return;
        }
        summarized = true;
        summary(runner, batch, orchestrator).print(out, json);
    }
}
