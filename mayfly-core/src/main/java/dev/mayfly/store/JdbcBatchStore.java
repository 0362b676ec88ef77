package dev.mayfly.store;

import static dev.mayfly.store.JdbcTaskStore.millis;

import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/** Batches in the SQLite store, under the task store's lock; their tasks are the store's own rows. */
final class JdbcBatchStore implements BatchStore {

    private static final String COLUMNS = "id, supervisor_id, file, lines, state, created_at, finished_at";

    private final Database db;
    private final JdbcTaskStore tasks;

    JdbcBatchStore(Database db, JdbcTaskStore tasks) {
        this.db = db;
        this.tasks = tasks;
    }

    /**
     * The newest task of each line of a batch (the one parameter), in line order: the insertion
     * order grows with every insert, so the largest is the last run.
     */
    private String lastTasks() {
        String order = db.insertionOrder();
        return " FROM tasks t JOIN (SELECT batch_line, MAX(" + order + ") AS last FROM tasks WHERE batch_id = ? "
                + "GROUP BY batch_line) l ON t." + order + " = l.last ORDER BY t.batch_line";
    }

    @Override
    public void createBatch(BatchRecord batch, List<NewLine> lines, boolean serverOwned) {
        synchronized (tasks) {
            db.inTransaction(() -> {
                db.update("INSERT INTO batches (" + COLUMNS + ", origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch.id(),
                        batch.supervisorId(), batch.file(), batch.lines(), batch.state().label(),
                        millis(batch.createdAt()), millis(batch.finishedAt()), serverOwned ? JdbcTaskStore.SERVER_ORIGIN : null);
                storeLines(batch.id(), lines);
            });
        }
    }

    @Override
    public List<String> serverBatchesLeft(Predicate<SupervisorRecord> alive) {
        synchronized (tasks) {
            return tasks.leftBy("batches", alive);
        }
    }

    @Override
    public void restartBatch(String batchId, String supervisorId, List<NewLine> lines) {
        synchronized (tasks) {
            db.inTransaction(() -> {
                db.update("UPDATE batches SET state = 'running', supervisor_id = ?, finished_at = NULL WHERE id = ?",
                        supervisorId, batchId);
                storeLines(batchId, lines);
            });
        }
    }

    private void storeLines(String batchId, List<NewLine> lines) {
        for (NewLine line : lines) {
            tasks.createTask(line.task());
            db.update("UPDATE tasks SET batch_id = ?, batch_line = ?, request = ? WHERE id = ?", batchId, line.line(),
                    line.requestJson(), line.task().id());
        }
    }

    @Override
    public int settleUnstarted(String batchId, TaskOutcome outcome, Instant at) {
        synchronized (tasks) {
            List<String> queued = db.query("SELECT id FROM tasks WHERE batch_id = ? AND state = 'queued'", rows -> {
                List<String> ids = new ArrayList<>();
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
                return ids;
            }, batchId);
            int settled = 0;
            for (String id : queued) {
                settled += tasks.finish(id, outcome, at) ? 1 : 0;
            }
            return settled;
        }
    }

    @Override
    public void batchEnded(String batchId, BatchRecord.State state, Instant at) {
        synchronized (tasks) {
            db.update("UPDATE batches SET state = ?, finished_at = ? WHERE id = ?", state.label(), millis(at), batchId);
        }
    }

    @Override
    public Optional<BatchRecord> requestCancel(String batchId, Instant at) {
        synchronized (tasks) {
            return db.inTransaction(() -> {
                Optional<BatchRecord> batch = findBatch(batchId);
                if (batch.isPresent() && batch.get().state() == BatchRecord.State.RUNNING) {
                    tasks.requestCancelOfGroup("batches", "batch_id", batchId, at);
                }
                return batch;
            });
        }
    }

    @Override
    public boolean cancelRequested(String batchId) {
        synchronized (tasks) {
            return tasks.cancelRequestedAt("batches", batchId) != null;
        }
    }

    @Override
    public Optional<BatchRecord> findBatch(String batchId) {
        synchronized (tasks) {
            return db.query("SELECT " + COLUMNS + " FROM batches WHERE id = ?",
                    rows -> rows.next() ? Optional.of(batch(rows)) : Optional.empty(), batchId);
        }
    }

    @Override
    public List<BatchRecord> recentBatches(int limit) {
        synchronized (tasks) {
            return db.query("SELECT " + COLUMNS + " FROM batches ORDER BY created_at DESC, id DESC LIMIT ?", rows -> {
                List<BatchRecord> list = new ArrayList<>();
                while (rows.next()) {
                    list.add(batch(rows));
                }
                return list;
            }, limit);
        }
    }

    @Override
    public List<LineTask> lastTasks(String batchId) {
        synchronized (tasks) {
            return db.query("SELECT t.batch_line, t.id, t.state, t.request" + lastTasks(), rows -> {
                List<LineTask> list = new ArrayList<>();
                while (rows.next()) {
                    list.add(new LineTask(rows.getInt(1), rows.getString(2), TaskState.fromLabel(rows.getString(3)),
                            rows.getString(4)));
                }
                return list;
            }, batchId);
        }
    }

    @Override
    public Optional<StoredLine> storedLine(String taskId) {
        synchronized (tasks) {
            return db.query("SELECT batch_line AS line_number, request AS line_request, " + TaskRows.COLUMNS
                    + " FROM tasks WHERE id = ? AND batch_id IS NOT NULL", rows -> rows.next()
                            ? Optional.of(new StoredLine(rows.getInt("line_number"), TaskRows.task(rows),
                                    rows.getString("line_request")))
                            : Optional.empty(), taskId);
        }
    }

    @Override
    public List<LineRecord> lastTaskRecords(String batchId) {
        synchronized (tasks) {
            return db.query("SELECT t.batch_line AS line_number, " + TaskRows.COLUMNS + lastTasks(), rows -> {
                List<LineRecord> list = new ArrayList<>();
                while (rows.next()) {
                    list.add(new LineRecord(rows.getInt("line_number"), TaskRows.task(rows)));
                }
                return list;
            }, batchId);
        }
    }

    private static BatchRecord batch(ResultSet rows) throws SQLException {
        return new BatchRecord(rows.getString(1), rows.getString(2), rows.getString(3), rows.getInt(4),
                BatchRecord.State.valueOf(rows.getString(5).toUpperCase(Locale.ROOT)), TaskRows.instant(rows, 6),
                TaskRows.instant(rows, 7));
    }
}
