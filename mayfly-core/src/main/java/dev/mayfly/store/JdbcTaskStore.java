package dev.mayfly.store;

import dev.mayfly.api.ContextSegment;
import dev.mayfly.json.Json;
import dev.mayfly.memory.JobReading;
import dev.mayfly.routing.Mode;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskState;
import dev.mayfly.task.TaskStateMachine;
import dev.mayfly.worker.MemorySample;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The store in SQL, on any {@link Database}: a SQLite file ({@link SqliteStore}) or a PostgreSQL
 * database shared by several machines. One lock a process: its methods run one at a time, each read
 * and guarded update in a transaction of its own, so that what another process changed in between
 * is seen (the row is the lock, and zero rows updated means another writer won).
 */
public final class JdbcTaskStore implements TaskStore {

    /** The origin of a task submitted to 'mayfly serve' (the tasks table's origin column). */
    static final String SERVER_ORIGIN = "server";

    private final Database db;
    private final int schemaVersion;
    private final JdbcRunStore runs;
    private final JdbcBatchStore batches;
    private final JdbcAttemptStore attempts;
    private final JdbcQueue queue;

    /** @param schemaVersion the version its migrations brought the database to */
    public JdbcTaskStore(Database db, int schemaVersion) {
        this.db = db;
        this.schemaVersion = schemaVersion;
        // One connection, one lock: the run and attempt stores take the same lock as this one.
        this.runs = new JdbcRunStore(db, this);
        this.batches = new JdbcBatchStore(db, this);
        this.attempts = new JdbcAttemptStore(db, this);
        this.queue = new JdbcQueue(db, this);
    }

    @Override
    public Optional<String> lost() {
        return Optional.ofNullable(db.lost());
    }

    /** Batches and their lines' tasks, in the same file and under the same lock. */
    @Override
    public BatchStore batches() {
        return batches;
    }

    /** Workflow runs and their steps, in the same file and under the same lock. */
    @Override
    public RunStore runs() {
        return runs;
    }

    @Override
    public AttemptStore attempts() {
        return attempts;
    }

    @Override
    public synchronized void together(Runnable work) {
        db.inTransaction(work);
    }

    @Override
    public int schemaVersion() {
        return schemaVersion;
    }

    /** Runs one statement on this store's database: for tests that need the database itself to refuse writes. */
    synchronized void execute(String statement) {
        db.update(statement);
    }

    @Override
    public String describe() {
        return "schema v" + schemaVersion() + ", " + db.describe();
    }

    @Override
    public Optional<String> setupProblem() {
        return db.setupProblem();
    }

    @Override
    public synchronized void registerSupervisor(SupervisorRecord supervisor) {
        db.update("INSERT INTO supervisors (id, host, pid, pid_started_at, started_at, heartbeat_at, heartbeat_interval_ms) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", supervisor.id(), supervisor.host(), supervisor.pid(),
                millis(supervisor.pidStartedAt()), millis(supervisor.startedAt()), millis(supervisor.heartbeatAt()),
                supervisor.heartbeatInterval() == null ? null : supervisor.heartbeatInterval().toMillis());
    }

    @Override
    public synchronized boolean heartbeat(String supervisorId, Instant at, String figuresJson) {
        return db.update("UPDATE supervisors SET heartbeat_at = ?, figures = COALESCE(?, figures) WHERE id = ? "
                + "AND stopped_at IS NULL", millis(at), figuresJson, supervisorId) == 1;
    }

    @Override
    public synchronized Optional<String> lastFigures(String supervisorId) {
        return db.query("SELECT figures FROM supervisors WHERE id = ?",
                rows -> rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty(), supervisorId);
    }

    @Override
    public synchronized void rejoin(String supervisorId, Instant at) {
        db.update("UPDATE supervisors SET stopped_at = NULL, heartbeat_at = ? WHERE id = ?", millis(at), supervisorId);
    }

    @Override
    public synchronized void markSupervisorStopped(String supervisorId, Instant at) {
        db.update("UPDATE supervisors SET stopped_at = ? WHERE id = ?", millis(at), supervisorId);
    }

    @Override
    public synchronized void recordControl(String supervisorId, ControlAddress control) {
        db.update("UPDATE supervisors SET control_url = ?, control_token = ? WHERE id = ?", control.url(), control.token(),
                supervisorId);
    }

    @Override
    public synchronized Optional<ControlAddress> findControl(String supervisorId) {
        return db.query("SELECT control_url, control_token FROM supervisors WHERE id = ? AND control_url IS NOT NULL",
                rows -> rows.next() ? Optional.of(new ControlAddress(rows.getString(1), rows.getString(2)))
                        : Optional.empty(), supervisorId);
    }

    @Override
    public synchronized List<SupervisorRecord> unstoppedSupervisors() {
        return db.query("SELECT " + TaskRows.SUPERVISOR_COLUMNS + " FROM supervisors s WHERE s.stopped_at IS NULL "
                + "ORDER BY s.started_at DESC", rows -> {
                    List<SupervisorRecord> list = new ArrayList<>();
                    while (rows.next()) {
                        list.add(TaskRows.supervisor(rows));
                    }
                    return list;
                });
    }

    @Override
    public synchronized void createTask(NewTask task) {
        var request = task.request();
        var routing = task.routing();
        db.inTransaction(() -> {
            db.update("INSERT INTO tasks (id, supervisor_id, prompt, agent, params, complexity, long_running, mode, "
                            + "routing_reason, state, heap_limit_mb, memory_cap_mb, timeout_ms, priority, work_dir, log_path, "
                            + "created_at, updated_at, retry_limit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    task.id(), task.supervisorId(), request.prompt(), request.agent().describe(),
                    Json.write(request.params()), request.complexity(), routing.classification().longRunning() ? 1 : 0,
                    routing.mode().label(), routing.reason(), TaskState.QUEUED.label(),
                    routing.mode() == Mode.WORKER ? request.limits().heapMb() : null,
                    task.treeMeasured() ? request.limits().memoryMb() : null, request.limits().timeout().toMillis(),
                    request.priority(), request.workDir().toString(), task.logPath().toString(),
                    millis(task.createdAt()), millis(task.createdAt()), request.limits().retries());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("mode", routing.mode().label());
            data.put("reason", routing.reason());
            appendEventRow(task.id(), task.supervisorId(), "task_queued", data, task.createdAt());
        });
    }

    @Override
    public synchronized void createServerTask(NewTask task, String requestJson) {
        db.inTransaction(() -> {
            createTask(task);
            db.update("UPDATE tasks SET origin = ?, request = ? WHERE id = ?", SERVER_ORIGIN, requestJson, task.id());
        });
    }

    @Override
    public synchronized Optional<Claim> claimNext(String supervisorId, boolean workerSlotFree, Instant at) {
        return queue.claimNext(supervisorId, workerSlotFree, at);
    }

    @Override
    public synchronized void recordLogPath(String taskId, String logPath) {
        db.update("UPDATE tasks SET log_path = ? WHERE id = ?", logPath, taskId);
    }

    /** See {@link JdbcQueue#fenceHolds}. */
    boolean fenceHolds(String taskId, String write, Instant at) {
        return queue.fenceHolds(taskId, write, at);
    }

    @Override
    public synchronized boolean markRunning(String taskId, Long pid, Instant at) {
        return db.inTransaction(() -> {
            Optional<TaskRecord> task = findTask(taskId);
            if (task.isEmpty() || !TaskStateMachine.allowed(task.get().state(), TaskState.RUNNING)
                    || !fenceHolds(taskId, "running", at)) {
                return false;
            }
            int changed = db.update("UPDATE tasks SET state = ?, pid = ?, started_at = COALESCE(started_at, ?), "
                            + "updated_at = ?, wait_reason = NULL, version = version + 1 WHERE id = ? AND state = ? "
                            + "AND version = ?",
                    TaskState.RUNNING.label(), pid, millis(at), millis(at), taskId, task.get().state().label(),
                    task.get().version());
            if (changed == 1) {
                appendEventRow(taskId, task.get().supervisorId(), "task_running",
                        pid == null ? Map.of() : Map.of("pid", pid), at);
            }
            return changed == 1;
        });
    }

    @Override
    public synchronized void waiting(String taskId, String why, Instant at) {
        changeWithEvent(taskId, "waiting", Map.of("why", why), at, "UPDATE tasks SET wait_reason = ?, updated_at = ? "
                + "WHERE id = ?", why, millis(at), taskId);
    }

    @Override
    public synchronized void retryScheduled(String taskId, int attempt, Integer heapMb, Integer memoryCapMb, long delayMs,
            String why, Instant at) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("nextAttempt", attempt);
        data.put("delayMs", delayMs);
        data.put("heapMb", heapMb);
        data.put("memoryCapMb", memoryCapMb);
        data.put("why", why);
        db.inTransaction(() -> {
            Optional<TaskRecord> task = findTask(taskId);
            if (task.isEmpty() || !TaskStateMachine.allowed(task.get().state(), TaskState.QUEUED)
                    || !fenceHolds(taskId, "retry", at)) {
                return;
            }
            db.update("UPDATE tasks SET state = ?, attempts = ?, retries = retries + 1, "
                    + "heap_limit_mb = COALESCE(?, heap_limit_mb), memory_cap_mb = COALESCE(?, memory_cap_mb), "
                    + "wait_reason = ?, updated_at = ?, version = version + 1 "
                    + "WHERE id = ? AND state = ? AND version = ?", TaskState.QUEUED.label(), attempt, heapMb, memoryCapMb,
                    why, millis(at), taskId, task.get().state().label(), task.get().version());
            appendEventRow(taskId, task.get().supervisorId(), "retry_scheduled", data, at);
        });
    }

    @Override
    public synchronized Optional<TaskRecord> requestCancel(String taskId, Instant at) {
        return db.inTransaction(() -> {
            Optional<TaskRecord> task = findTask(taskId);
            if (task.isEmpty() || task.get().state().terminal()) {
                return task;
            }
            int changed = db.update("UPDATE tasks SET cancel_requested_at = ? WHERE id = ? AND cancel_requested_at IS NULL",
                    millis(at), taskId);
            if (changed == 1) {
                appendEventRow(taskId, task.get().supervisorId(), "cancel_requested",
                        Map.of("state", task.get().state().label()), at);
            }
            return task;
        });
    }

    @Override
    public synchronized List<String> cancelRequests(String supervisorId) {
        return unendedTaskIds("supervisor_id", supervisorId, "AND cancel_requested_at IS NOT NULL");
    }

    /**
     * A user asks to cancel a run or a batch ({@code table} runs or batches): the request is kept on
     * it, and each of its queued or running tasks ({@code taskColumn} run_id or batch_id) is asked
     * as {@link #requestCancel} asks one; inside the caller's transaction.
     */
    void requestCancelOfGroup(String table, String taskColumn, String id, Instant at) {
        db.update("UPDATE " + table + " SET cancel_requested_at = ? WHERE id = ? AND cancel_requested_at IS NULL",
                millis(at), id);
        for (String taskId : unendedTaskIds(taskColumn, id, "")) {
            requestCancel(taskId, at);
        }
    }

    /** When a user asked to cancel the run or batch ({@code table} runs or batches), or null. */
    Instant cancelRequestedAt(String table, String id) {
        return db.query("SELECT cancel_requested_at FROM " + table + " WHERE id = ?",
                rows -> rows.next() ? TaskRows.instant(rows, 1) : null, id);
    }

    /** The ids of the tasks whose {@code column} is {@code value}, queued or running, and meeting {@code andWhere}. */
    List<String> unendedTaskIds(String column, String value, String andWhere) {
        return db.query("SELECT id FROM tasks WHERE " + column + " = ? AND state IN ('queued', 'running') " + andWhere,
                rows -> {
                    List<String> ids = new ArrayList<>();
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                    return ids;
                }, value);
    }

    @Override
    public synchronized boolean finish(String taskId, TaskOutcome outcome, Instant at) {
        return db.inTransaction(() -> {
            Optional<TaskRecord> task = findTask(taskId);
            if (task.isPresent() && !fenceHolds(taskId, outcome.verdict(), at)) {
                // The fence stays: the lost claim's attempts may still report (checkpoints, their ends).
                return false;
            }
            if (task.isEmpty() || !TaskStateMachine.allowed(task.get().state(), outcome.state())) {
                return false;
            }
            int changed = db.update("UPDATE tasks SET state = ?, reason = ?, exit_code = ?, execution_time_ms = ?, "
                            + "memory_peak_mb = ?, rss_peak_mb = ?, resident_peak_mb = ?, result = ?, error = ?, "
                            + "finished_at = ?, wait_reason = NULL, updated_at = ?, version = version + 1 "
                            + "WHERE id = ? AND state = ? AND version = ?",
                    outcome.state().label(), outcome.reason() == null ? null : outcome.reason().label(),
                    outcome.exitCode(), outcome.executionTimeMs(), TaskOutcome.measured(outcome.memoryPeakMb()),
                    TaskOutcome.measured(outcome.rssPeakMb()),
                    TaskOutcome.measured(outcome.residentPeakMb()), outcome.resultJson(), outcome.error(), millis(at), millis(at), taskId,
                    task.get().state().label(), task.get().version());
            if (changed == 1) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("from", task.get().state().label());
                data.put("state", outcome.state().label());
                data.put("reason", outcome.reason() == null ? null : outcome.reason().label());
                data.put("exitCode", outcome.exitCode());
                data.put("error", outcome.error());
                appendEventRow(taskId, task.get().supervisorId(), "task_" + outcome.state().label(), data, at);
                queue.release(taskId);
            }
            return changed == 1;
        });
    }

    @Override
    public synchronized void recordMemorySample(String taskId, MemorySample sample, JobReading tree, Instant at) {
        db.update("INSERT INTO memory_samples (task_id, at, heap_used_mb, heap_committed_mb, heap_max_mb, "
                        + "heap_used_percent, non_heap_mb, rss_mb, gc_count, gc_time_ms, resident_mb, processes) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                taskId, millis(at), sample.heapUsed(), sample.heapCommitted(), sample.heapMax(),
                sample.heapUsedPercent(), sample.nonHeap(), sample.rss(), sample.gcCount(), sample.gcTimeMs(),
                tree == null ? null : MemorySample.round(tree.residentMb()), tree == null ? null : tree.processes());
    }

    @Override
    public synchronized void saveCheckpoint(String taskId, int attempt, String state, Instant at) {
        if (!fenceHolds(taskId, "checkpoint", at)) {
            return;
        }
        changeWithEvent(taskId, "checkpoint", Map.of("attempt", attempt, "chars", state.length()), at,
                "INSERT INTO checkpoints (task_id, attempt, at, state) VALUES (?, ?, ?, ?) ON CONFLICT (task_id) DO "
                        + "UPDATE SET attempt = excluded.attempt, at = excluded.at, state = excluded.state",
                taskId, attempt, millis(at), state);
    }

    @Override
    public synchronized Optional<String> latestCheckpoint(String taskId) {
        return db.query("SELECT state FROM checkpoints WHERE task_id = ? ORDER BY id DESC LIMIT 1",
                rows -> rows.next() ? Optional.of(rows.getString(1)) : Optional.empty(), taskId);
    }

    @Override
    public synchronized void saveContextSegment(String taskId, int attempt, ContextSegment segment, Instant at) {
        if (!fenceHolds(taskId, "context segment", at)) {
            return;
        }
        db.inTransaction(() -> {
            db.update("DELETE FROM context_segments WHERE task_id = ? AND seq >= ?", taskId, segment.seq());
            db.update("INSERT INTO context_segments (task_id, seq, attempt, at, tier, role, content, tokens, "
                    + "summarises_through) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", taskId, segment.seq(), attempt, millis(at),
                    segment.tier(), segment.role(), segment.content(), segment.tokens(), segment.summarisesThrough());
        });
    }

    @Override
    public synchronized List<ContextSegment> contextSegments(String taskId) {
        return db.query("SELECT seq, tier, role, content, tokens, summarises_through FROM context_segments "
                + "WHERE task_id = ? ORDER BY seq", rows -> {
                    List<ContextSegment> segments = new ArrayList<>();
                    while (rows.next()) {
                        segments.add(new ContextSegment(rows.getLong(1), rows.getString(2), rows.getString(3),
                                rows.getString(4), rows.getLong(5), rows.getLong(6)));
                    }
                    return segments;
                }, taskId);
    }

    @Override
    public synchronized List<ContextTier> contextTiers(String taskId) {
        return db.query("SELECT tier, COUNT(*), SUM(tokens) FROM context_segments WHERE task_id = ? GROUP BY tier "
                + "ORDER BY CASE tier WHEN 'head' THEN 0 WHEN 'mid-term' THEN 1 ELSE 2 END", rows -> {
                    List<ContextTier> tiers = new ArrayList<>();
                    while (rows.next()) {
                        tiers.add(new ContextTier(rows.getString(1), rows.getLong(2), rows.getLong(3)));
                    }
                    return tiers;
                }, taskId);
    }

    @Override
    public synchronized void recordRotation(String taskId, int attempt, Instant at) {
        changeWithEvent(taskId, "rotated", Map.of("nextAttempt", attempt), at,
                "UPDATE tasks SET attempts = ?, rotations = rotations + 1, updated_at = ? WHERE id = ?", attempt,
                millis(at), taskId);
    }

    @Override
    public synchronized void workerRestarted(String taskId, int attempt, long pid, Instant at) {
        changeWithEvent(taskId, "worker_started", Map.of("attempt", attempt, "pid", pid), at,
                "UPDATE tasks SET pid = ?, attempts = CASE WHEN attempts < ? THEN ? ELSE attempts END, updated_at = ? "
                        + "WHERE id = ?", pid, attempt, attempt, millis(at), taskId);
    }

    /** One change about a task and the event that records it, in one transaction. */
    private void changeWithEvent(String taskId, String type, Map<String, ?> data, Instant at, String sql,
            Object... values) {
        String supervisorId = findTask(taskId).map(TaskRecord::supervisorId).orElse(null);
        db.inTransaction(() -> {
            db.update(sql, values);
            appendEventRow(taskId, supervisorId, type, data, at);
        });
    }

    @Override
    public synchronized void appendEvent(String taskId, String supervisorId, String type, Map<String, ?> data,
            Instant at) {
        appendEventRow(taskId, supervisorId, type, data, at);
    }

    void appendEventRow(String taskId, String supervisorId, String type, Map<String, ?> data, Instant at) {
        db.update("INSERT INTO events (task_id, supervisor_id, at, type, data) VALUES (?, ?, ?, ?, ?)",
                taskId, supervisorId, millis(at), type, Json.write(data));
    }

    @Override
    public synchronized List<String> settleOrphans(Predicate<SupervisorRecord> alive, Instant at) {
        return queue.settleOrphans(alive, at);
    }

    @Override
    public synchronized Optional<TaskRecord> findTask(String taskId) {
        return db.query("SELECT " + TaskRows.COLUMNS + " FROM tasks WHERE id = ?",
                rows -> rows.next() ? Optional.of(TaskRows.task(rows)) : Optional.empty(), taskId);
    }

    @Override
    public List<TaskRecord> recentTasks(int limit) {
        return findTasks(new TaskFilter(null, null, limit));
    }

    @Override
    public synchronized List<TaskRecord> findTasks(TaskFilter filter) {
        String state = filter.state() == null ? null : filter.state().label();
        String reason = filter.reason() == null ? null : filter.reason().label();
        return db.query("SELECT " + TaskRows.COLUMNS + " FROM tasks WHERE (CAST(? AS TEXT) IS NULL OR state = ?) "
                + "AND (CAST(? AS TEXT) IS NULL OR reason = ?) AND created_at >= ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                rows -> {
                    List<TaskRecord> list = new ArrayList<>();
                    while (rows.next()) {
                        list.add(TaskRows.task(rows));
                    }
                    return list;
                }, state, state, reason, reason,
                filter.since() == null ? Long.MIN_VALUE : filter.since().toEpochMilli(), filter.limit(), filter.offset());
    }

    @Override
    public synchronized List<TaskCount> taskCounts() {
        return db.query("SELECT state, reason, mode, COUNT(*), COALESCE(SUM(execution_time_ms), 0) FROM tasks "
                + "GROUP BY state, reason, mode", rows -> {
            List<TaskCount> counts = new ArrayList<>();
            while (rows.next()) {
                String reason = rows.getString(2);
                counts.add(new TaskCount(TaskState.fromLabel(rows.getString(1)),
                        reason == null ? null : FailureReason.fromLabel(reason), Mode.fromLabel(rows.getString(3)),
                        rows.getLong(4), rows.getLong(5)));
            }
            return counts;
        });
    }

    /**
     * The ids of a table's rows (runs, batches) that a server started and that are still running,
     * though the supervisor running them is gone (or was never recorded).
     */
    synchronized List<String> leftBy(String table, Predicate<SupervisorRecord> alive) {
        List<String[]> running = db.query("SELECT id, supervisor_id FROM " + table + " WHERE origin = ? AND state = 'running' "
                + "ORDER BY created_at", rows -> {
                    List<String[]> list = new ArrayList<>();
                    while (rows.next()) {
                        list.add(new String[] {rows.getString(1), rows.getString(2)});
                    }
                    return list;
                }, SERVER_ORIGIN);
        List<String> left = new ArrayList<>();
        for (String[] row : running) {
            if (!findSupervisor(row[1]).map(alive::test).orElse(false)) {
                left.add(row[0]);
            }
        }
        return left;
    }

    @Override
    public synchronized Optional<SupervisorRecord> findSupervisor(String supervisorId) {
        return db.query("SELECT " + TaskRows.SUPERVISOR_COLUMNS + " FROM supervisors s WHERE s.id = ?",
                rows -> rows.next() ? Optional.of(TaskRows.supervisor(rows)) : Optional.empty(), supervisorId);
    }

    @Override
    public synchronized List<MemorySampleRecord> memorySamples(String taskId, Instant after) {
        return db.query("SELECT " + SAMPLE_COLUMNS + " FROM memory_samples WHERE task_id = ? AND at > ? ORDER BY at, id",
                rows -> {
                    List<MemorySampleRecord> list = new ArrayList<>();
                    while (rows.next()) {
                        list.add(sample(rows));
                    }
                    return list;
                }, taskId, after == null ? Long.MIN_VALUE : after.toEpochMilli());
    }

    @Override
    public synchronized Optional<MemorySampleRecord> latestMemorySample(String taskId) {
        return db.query("SELECT " + SAMPLE_COLUMNS + " FROM memory_samples WHERE task_id = ? ORDER BY at DESC, id DESC "
                + "LIMIT 1", rows -> rows.next() ? Optional.of(sample(rows)) : Optional.empty(), taskId);
    }

    private static final String SAMPLE_COLUMNS = "task_id, at, heap_used_mb, heap_committed_mb, heap_max_mb, "
            + "heap_used_percent, non_heap_mb, rss_mb, gc_count, gc_time_ms, resident_mb, processes";

    private static MemorySampleRecord sample(ResultSet rows) throws SQLException {
        return new MemorySampleRecord(rows.getString(1), TaskRows.instant(rows, 2), new MemorySample(
                rows.getDouble(3), rows.getDouble(4), rows.getDouble(5), rows.getDouble(6),
                rows.getDouble(7), rows.getDouble(8), rows.getLong(9), rows.getLong(10)),
                TaskRows.nullableDouble(rows, "resident_mb"), TaskRows.nullableInt(rows, "processes"));
    }

    @Override
    public synchronized List<EventRecord> events(String taskId, long afterId) {
        return db.query("SELECT id, task_id, supervisor_id, at, type, data FROM events WHERE task_id = ? AND id > ? "
                + "ORDER BY id",
                rows -> {
                    List<EventRecord> list = new ArrayList<>();
                    while (rows.next()) {
                        list.add(new EventRecord(rows.getLong(1), rows.getString(2), rows.getString(3),
                                TaskRows.instant(rows, 4), rows.getString(5), rows.getString(6)));
                    }
                    return list;
                }, taskId, afterId);
    }

    @Override
    public synchronized void close() {
        db.close();
    }

    static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
