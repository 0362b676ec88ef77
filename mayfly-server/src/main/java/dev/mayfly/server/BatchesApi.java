package dev.mayfly.server;

import dev.mayfly.batch.BatchEntry;
import dev.mayfly.batch.BatchFile;
import dev.mayfly.batch.BatchRunner;
import dev.mayfly.batch.DurableBatch;
import dev.mayfly.batch.JsonFields;
import dev.mayfly.errors.UsageException;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.Listings;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.store.BatchRecord;
import dev.mayfly.store.BatchStore;
import dev.mayfly.store.RecordJson;
import dev.mayfly.task.TaskState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * {@code /api/v1/batches}: many tasks at once, as {@code mayfly batch} runs a file's lines. Every line
 * is checked before anything is stored (one bad line refuses the batch, naming it); then the batch and
 * all its lines are stored queued in one transaction before the answer, and run through the server's
 * pool, the highest priority first. A batch the server did not finish (it was stopped or killed) is
 * taken up again by {@code mayfly resume BATCH_ID}, as any batch is.
 */
final class BatchesApi extends ResumableResource {

    static final String PREFIX = "/api/v1/batches";
    private static final Kind BATCH = new Kind("batch", "batchId", "state");
    /** A batch's lines in one request: a file of more is better sent by {@code mayfly batch}, in parts. */
    private static final int MAX_LINES = 10_000;
    private static final List<String> FIELDS = List.of("lines", TasksApi.WORK_DIR);
    static final String SOURCE = "POST " + PREFIX;

    private final Orchestrator orchestrator;
    private final Executor starter;
    private final Consumer<TaskResult> ended;
    private final OrchestratorLog log;
    private final Clock clock;

    /** @param ended told how each task of a batch ended (the metrics) */
    BatchesApi(Orchestrator orchestrator, Executor starter, Consumer<TaskResult> ended, OrchestratorLog log, Clock clock) {
        super(PREFIX, "batches", clock);
        this.orchestrator = orchestrator;
        this.starter = starter;
        this.ended = ended;
        this.log = log;
        this.clock = clock;
    }

    @Override
    Map<String, Object> detail(String id) {
        return detail(find(id));
    }

    @Override
    List<Map<String, Object>> recent(int limit, Instant since) {
        return Listings.recentBatches(orchestrator.store(), limit, since, clock.instant());
    }

    @Override
    void start(HttpCall call) throws IOException {
        Map<String, Object> fields = call.jsonBody();
        JsonFields.onlyKnown(fields, FIELDS);
        if (!(fields.get("lines") instanceof List<?> lines) || lines.isEmpty() || lines.size() > MAX_LINES) {
            throw UsageException.invalid("lines", String.valueOf(fields.get("lines")), "a list of 1 to " + MAX_LINES
                    + " objects, each with a batch line's fields");
        }
        Path workDir = TasksApi.workDir(fields.get(TasksApi.WORK_DIR));
        List<BatchEntry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                if (!(lines.get(i) instanceof Map<?, ?> line)) {
                    throw new UsageException("not a JSON object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> lineFields = (Map<String, Object>) line;
                entries.add(BatchFile.line(i + 1, lineFields, orchestrator.settings(), workDir));
            } catch (UsageException e) {
                problems.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new UsageException(String.join("; ", problems) + "; nothing was stored");
        }
        DurableBatch batch = DurableBatch.begin(orchestrator, SOURCE, true, entries, clock);
        log.info(OrchestratorLog.ENTRY, "Batch " + batch.id() + " of " + entries.size() + " task(s) submitted over HTTP",
                "batchId", batch.id());
        starter.execute(() -> run(batch));
        call.responseHeader("Location", PREFIX + "/" + batch.id());
        call.json(201, detail(find(batch.id())));
    }

    /**
     * Takes up a batch that did not complete, as {@code mayfly resume BATCH_ID} does: its lines whose
     * last task did not complete run again in this server, each as its line asked. 202 with the batch;
     * 409 when it had completed; 400 when it cannot be (cancelled, run elsewhere).
     */
    @Override
    void resume(HttpCall call, String batchId) throws IOException {
        find(batchId);
        BatchRecord record = DurableBatch.checkResumable(orchestrator.store(), batchId, "the store", clock);
        if (record.state() == BatchRecord.State.COMPLETED) {
            call.error(409, "batch " + batchId + " had already completed; nothing to resume");
            return;
        }
        DurableBatch batch = DurableBatch.resume(orchestrator, batchId, clock);
        log.info(OrchestratorLog.ENTRY, "Batch " + batchId + " resumed over HTTP: " + batch.lines().size()
                + " line(s) run again", "batchId", batchId);
        starter.execute(() -> run(batch));
        call.json(202, detail(find(batchId)));
    }

    /**
     * Takes up the batches an earlier server of the home started and left running (it was killed):
     * their lines whose last task did not complete run again here, as {@code mayfly resume} would.
     */
    void takeUpLeftovers() {
        String host = SupervisorLiveness.thisHost();
        Instant now = clock.instant();
        for (String batchId : orchestrator.store().batches().serverBatchesLeft(supervisor ->
                SupervisorLiveness.isAlive(supervisor, host, now))) {
            try {
                DurableBatch batch = DurableBatch.resume(orchestrator, batchId, clock);
                log.info(OrchestratorLog.ENTRY, "Took up batch " + batchId + ", which an earlier server left: "
                        + batch.lines().size() + " line(s) run again", "batchId", batchId);
                starter.execute(() -> run(batch));
            } catch (RuntimeException e) {
                log.warn(OrchestratorLog.ENTRY, "Batch " + batchId + ", which an earlier server left, cannot be taken up: "
                        + e.getMessage() + "; 'mayfly resume " + batchId + "' says more", "batchId", batchId);
            }
        }
    }

    /** Runs the batch's lines through the pool and records how it ended; a server that stops records it interrupted. */
    private void run(DurableBatch batch) {
        BatchRunner runner = new BatchRunner(orchestrator, batch, orchestrator.settings().maxWorkers(),
                (line, result, progress) -> ended.accept(result), clock);
        try {
            runner.run();
            batch.end(batch.endState(false, runner.progress().failed()), "the batch was cancelled");
        } catch (InterruptedException e) {
            runner.stop();
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn(OrchestratorLog.ENTRY, "Batch " + batch.id() + " failed in Mayfly itself: " + e, "batchId", batch.id());
        }
    }

    /** The batch, how far it is, and each line's last task. */
    private Map<String, Object> detail(BatchRecord batch) {
        BatchStore batches = orchestrator.store().batches();
        List<Object> tasks = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (TaskState state : TaskState.values()) {
            counts.put(state.label(), 0);
        }
        for (BatchStore.LineRecord line : batches.lastTaskRecords(batch.id())) {
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("line", line.line());
            task.putAll(RecordJson.json(line.task()));
            counts.merge(line.task().state().label(), 1, Integer::sum);
            tasks.add(task);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("batchId", batch.id());
        json.put("state", batch.state().label());
        json.put("source", batch.file());
        json.put("lines", batch.lines());
        json.put("createdAt", batch.createdAt().toString());
        json.put("finishedAt", batch.finishedAt() == null ? null : batch.finishedAt().toString());
        json.put("counts", counts);
        json.put("tasks", tasks);
        return json;
    }

    private BatchRecord find(String batchId) {
        return orchestrator.store().batches().findBatch(batchId).orElseThrow(() -> new HttpCall.Refusal(404,
                "no batch '" + batchId + "'"));
    }

    /** Cancels the whole batch as {@code mayfly cancel BATCH_ID} does: 202, or 409 when it had ended. */
    @Override
    void cancel(HttpCall call, String batchId) throws IOException {
        Optional<BatchRecord> batch = orchestrator.store().batches().requestCancel(batchId, clock.instant());
        answerCancel(call, BATCH, batchId, batch.map(found -> new CancelAsked(found.state().label(), found.state() != BatchRecord.State.RUNNING,
                found.supervisorId())), orchestrator.store());
    }
}
