package dev.mayfly.store;

import static dev.mayfly.store.JdbcTaskStore.millis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Attempts in the store, under the task store's lock; an attempt of a claim that is no longer the task's is refused. */
final class JdbcAttemptStore implements AttemptStore {

    private static final String COLUMNS = "task_id, attempt, kind, heap_mb, memory_cap_mb, enforcement, pid, started_at, "
            + "ended_at, outcome, error, heap_peak_mb, resident_peak_mb, escaped";

    /** Every column but the key, as an upsert sets them from the row it was given. */
    private static final String REPLACED = java.util.Arrays.stream(COLUMNS.split(", ")).skip(2)
            .map(column -> column + " = excluded." + column).collect(java.util.stream.Collectors.joining(", "));

    private final Database db;
    private final JdbcTaskStore tasks;

    JdbcAttemptStore(Database db, JdbcTaskStore tasks) {
        this.db = db;
        this.tasks = tasks;
    }

    /** The attempt's row; and its cap is the task's cap now (a retry's is larger, a default one may start smaller). */
    @Override
    public void recordAttempt(AttemptRecord a) {
        synchronized (tasks) {
            Instant at = a.endedAt() != null ? a.endedAt() : a.startedAt();
            if (!tasks.fenceHolds(a.taskId(), "attempt " + a.attempt() + (a.outcome() == null ? "" : " " + a.outcome()), at)) {
                return;
            }
            db.inTransaction(() -> {
                db.update("INSERT INTO task_attempts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (task_id, attempt) DO UPDATE SET " + REPLACED,
                        a.taskId(), a.attempt(), a.kind().label(), a.heapMb(), a.memoryCapMb(), a.enforcement(), a.pid(),
                        millis(a.startedAt()), millis(a.endedAt()), a.outcome(), a.error(), a.heapPeakMb(),
                        a.residentPeakMb(), a.escaped());
                db.update("UPDATE tasks SET memory_cap_mb = COALESCE(?, memory_cap_mb) WHERE id = ?", a.memoryCapMb(),
                        a.taskId());
            });
        }
    }

    @Override
    public List<AttemptRecord> attempts(String taskId) {
        synchronized (tasks) {
            return db.query("SELECT " + COLUMNS + " FROM task_attempts WHERE task_id = ? ORDER BY attempt", rows -> {
                List<AttemptRecord> list = new ArrayList<>();
                while (rows.next()) {
                    list.add(new AttemptRecord(rows.getString(1), rows.getInt(2), AttemptRecord.Kind.fromLabel(rows.getString(3)),
                            TaskRows.nullableInt(rows, "heap_mb"), TaskRows.nullableInt(rows, "memory_cap_mb"),
                            rows.getString(6), TaskRows.nullableLong(rows, "pid"), TaskRows.instant(rows, 8),
                            TaskRows.instant(rows, 9), rows.getString(10), rows.getString(11),
                            TaskRows.nullableDouble(rows, "heap_peak_mb"), TaskRows.nullableDouble(rows, "resident_peak_mb"),
                            TaskRows.nullableInt(rows, "escaped")));
                }
                return list;
            }, taskId);
        }
    }
}
