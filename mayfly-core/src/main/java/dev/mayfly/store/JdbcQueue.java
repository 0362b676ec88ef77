package dev.mayfly.store;

import static dev.mayfly.store.JdbcTaskStore.millis;

import dev.mayfly.store.TaskStore.Claim;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The store as the server nodes' queue: claims and their fences, and what supervisors that are gone
 * left ({@link TaskStore#claimNext}, {@link TaskStore#settleOrphans}). Used under the task store's
 * lock, on its database.
 */
final class JdbcQueue {

    private final Database db;
    private final JdbcTaskStore tasks;
    private final Fences fences;

    JdbcQueue(Database db, JdbcTaskStore tasks) {
        this.db = db;
        this.tasks = tasks;
        this.fences = new Fences(db);
    }

    /** How many rows a claim tries, when other nodes take the ones it picked first. */
    private static final int CLAIM_TRIES = 5;

    Optional<Claim> claimNext(String supervisorId, boolean workerSlotFree, Instant at) {
        // Without SKIP LOCKED (SQLite) another process may take the row first: the guarded update then
        // changes nothing, and the next row is tried. SQLite's write lock makes that rare.
        for (int tries = 0; tries < CLAIM_TRIES; tries++) {
            String taskId = db.query("SELECT id FROM tasks WHERE origin = ? AND state = 'queued' AND claimed_at IS NULL "
                    + "AND (mode = 'in-process' OR ? = 1) ORDER BY priority DESC, created_at, id LIMIT 1" + db.skipLocked(),
                    rows -> rows.next() ? rows.getString(1) : null, JdbcTaskStore.SERVER_ORIGIN, workerSlotFree ? 1 : 0);
            if (taskId == null) {
                return Optional.empty();
            }
            Optional<Claim> claim = db.inTransaction(() -> claim(taskId, supervisorId, at));
            if (claim.isPresent()) {
                fences.hold(taskId, new Fences.Fence(supervisorId, claim.get().number()));
                return claim;
            }
        }
        return Optional.empty();
    }

    private Optional<Claim> claim(String taskId, String supervisorId, Instant at) {
        // On PostgreSQL the row is locked first, and rows other nodes hold are passed by (SKIP LOCKED).
        String locked = db.query("SELECT id FROM tasks WHERE id = ? AND state = 'queued' AND claimed_at IS NULL"
                + db.skipLocked(), rows -> rows.next() ? rows.getString(1) : null, taskId);
        // Only a node that holds its lease claims: one that another node took for gone must rejoin first.
        if (locked == null || db.update("UPDATE tasks SET supervisor_id = ?, claimed_at = ?, claims = claims + 1, "
                + "updated_at = ?, version = version + 1 WHERE id = ? AND state = 'queued' AND claimed_at IS NULL "
                + "AND EXISTS (SELECT 1 FROM supervisors WHERE id = ? AND stopped_at IS NULL)",
                supervisorId, millis(at), millis(at), taskId, supervisorId) == 0) {
            return Optional.empty();
        }
        Claim claim = db.query("SELECT " + TaskRows.COLUMNS + ", request, claims, retries FROM tasks WHERE id = ?",
                rows -> {
                    rows.next();
                    return new Claim(TaskRows.task(rows), rows.getString("request"), rows.getInt("claims"),
                            rows.getInt("retries"));
                }, taskId);
        tasks.appendEventRow(taskId, supervisorId, "task_claimed", Map.of("claim", claim.number()), at);
        return Optional.of(claim);
    }

    /**
     * Whether a write about the task may be made: always, unless this store claimed it and the claim
     * is no longer the task's. A refused write is recorded, as a {@code late_result_refused} event
     * naming the write, the claim and why.
     */
    boolean fenceHolds(String taskId, String write, Instant at) {
        Optional<String> broken = fences.broken(taskId);
        if (broken.isEmpty()) {
            return true;
        }
        Fences.Fence fence = fences.of(taskId).orElseThrow();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("write", write);
        data.put("claim", fence.claim());
        data.put("why", broken.get());
        tasks.appendEventRow(taskId, fence.supervisorId(), "late_result_refused", data, at);
        return false;
    }

    /** The task ended under this store's claim: nothing more is written about it. */
    void release(String taskId) {
        fences.release(taskId);
    }

    List<String> settleOrphans(Predicate<SupervisorRecord> alive, Instant at) {
        // A server's task that no node has claimed yet is the queue's, whoever submitted it.
        List<SupervisorRecord> owners = db.query("SELECT DISTINCT " + TaskRows.SUPERVISOR_COLUMNS
                + " FROM supervisors s JOIN tasks t ON t.supervisor_id = s.id WHERE t.state IN ('queued', 'running') "
                + "AND NOT (t.origin IS NOT NULL AND t.state = 'queued' AND t.claimed_at IS NULL)", rows -> {
                    List<SupervisorRecord> list = new ArrayList<>();
                    while (rows.next()) {
                        list.add(TaskRows.supervisor(rows));
                    }
                    return list;
                });
        List<String> settled = new ArrayList<>();
        for (SupervisorRecord owner : owners) {
            if (alive.test(owner)) {
                continue;
            }
            // First, so that a node that was only paused learns from its next heartbeat that it lost its lease.
            db.update("UPDATE supervisors SET stopped_at = ? WHERE id = ? AND stopped_at IS NULL", millis(at), owner.id());
            String gone = "supervisor " + owner.id() + " (pid " + owner.pid() + " on " + owner.host() + ") is gone";
            for (String id : tasks.unendedTaskIds("supervisor_id", owner.id(), "")) {
                if (db.inTransaction(() -> settleLost(id, gone, at))) {
                    settled.add(id);
                }
            }
        }
        return settled;
    }

    /**
     * One task of a supervisor that is gone (see {@link #settleOrphans}); whether its attempt was ended.
     * Every change is guarded by the version read, so of several nodes settling at once one makes it.
     */
    private boolean settleLost(String taskId, String gone, Instant at) {
        record Row(long version, String state, boolean server, boolean claimed, int retries, int retryLimit) {}
        Row row = db.query("SELECT version, state, origin, claimed_at, retries, retry_limit FROM tasks WHERE id = ?",
                rows -> rows.next() ? new Row(rows.getLong(1), rows.getString(2), rows.getString(3) != null,
                        rows.getObject(4) != null, rows.getInt(5), rows.getInt(6)) : null, taskId);
        if (row == null || TaskState.fromLabel(row.state()).terminal()) {
            return false;
        }
        if (!row.server()) {
            return tasks.finish(taskId, TaskOutcome.failed(FailureReason.INTERRUPTED, gone + "; the task was settled when "
                    + "another Mayfly process found it so"), at);
        }
        if (row.state().equals(TaskState.QUEUED.label())) {
            // Claimed, not started (waiting for a slot, for memory, or to retry): back to the queue.
            if (row.claimed() && db.update("UPDATE tasks SET claimed_at = NULL, wait_reason = NULL, updated_at = ?, "
                    + "version = version + 1 WHERE id = ? AND version = ?", millis(at), taskId, row.version()) == 1) {
                tasks.appendEventRow(taskId, null, "task_released", Map.of("why", gone), at);
            }
            return false;
        }
        db.update("UPDATE task_attempts SET ended_at = ?, outcome = ?, error = ? WHERE task_id = ? AND ended_at IS NULL",
                millis(at), FailureReason.INTERRUPTED.label(), gone, taskId);
        if (row.retries() >= row.retryLimit()) {
            return tasks.finish(taskId, TaskOutcome.failed(FailureReason.INTERRUPTED, gone + "; the task had no retries left ("
                    + row.retryLimit() + ", MAYFLY_RETRIES)"), at);
        }
        String why = "retry " + (row.retries() + 1) + " of " + row.retryLimit() + " on another node: " + gone;
        if (db.update("UPDATE tasks SET state = 'queued', claimed_at = NULL, attempts = attempts + 1, retries = retries + 1, "
                + "pid = NULL, wait_reason = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?", why,
                millis(at), taskId, row.version()) == 0) {
            return false;
        }
        tasks.appendEventRow(taskId, null, "retry_scheduled", Map.of("why", why), at);
        return true;
    }
}
