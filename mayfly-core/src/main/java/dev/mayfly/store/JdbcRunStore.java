package dev.mayfly.store;

import static dev.mayfly.store.JdbcTaskStore.millis;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/** Runs in the SQLite store, under the task store's lock. */
final class JdbcRunStore implements RunStore {

    private static final String RUN_COLUMNS = "id, supervisor_id, workflow, source, definition, prompt, params, "
            + "complexity, state, failed_step, folder, created_at, finished_at";

    private final Database db;
    private final JdbcTaskStore tasks;
    private final Object lock;

    JdbcRunStore(Database db, JdbcTaskStore tasks) {
        this.db = db;
        this.tasks = tasks;
        this.lock = tasks;
    }

    @Override
    public void createRun(RunRecord run, List<String> stepIds, boolean serverOwned) {
        synchronized (lock) {
            db.inTransaction(() -> {
                db.update("INSERT INTO runs (" + RUN_COLUMNS + ", updated_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                        + "?, ?, ?, ?)", run.id(), run.supervisorId(), run.workflow(), run.source(), run.definition(),
                        run.prompt(), run.paramsJson(), run.complexity(), run.state().label(), run.failedStep(), run.folder(),
                        millis(run.createdAt()), millis(run.finishedAt()), millis(run.createdAt()),
                        serverOwned ? JdbcTaskStore.SERVER_ORIGIN : null);
                for (String stepId : stepIds) {
                    db.update("INSERT INTO run_steps (run_id, step_id, state) VALUES (?, ?, 'waiting')", run.id(), stepId);
                }
            });
        }
    }

    @Override
    public List<String> serverRunsLeft(Predicate<SupervisorRecord> alive) {
        synchronized (lock) {
            return tasks.leftBy("runs", alive);
        }
    }

    @Override
    public boolean takeOverRun(String runId, String from, String supervisorId, Instant at) {
        synchronized (lock) {
            return db.update("UPDATE runs SET supervisor_id = ?, updated_at = ? WHERE id = ? AND supervisor_id = ? "
                    + "AND state = 'running'", supervisorId, millis(at), runId, from) == 1;
        }
    }

    @Override
    public void restartRun(String runId, String supervisorId, Instant at) {
        synchronized (lock) {
            db.inTransaction(() -> {
                RunRecord.State from = checked(runId, RunRecord.State.RUNNING);
                db.update("UPDATE runs SET state = 'running', supervisor_id = ?, failed_step = NULL, finished_at = NULL, "
                        + "updated_at = ? WHERE id = ? AND state = ?", supervisorId, millis(at), runId, from.label());
                // Completed steps are kept, and so are running ones whose task is still under way (queued or
                // running on another node of a shared store); the others wait to run again.
                for (RunStepRecord step : steps(runId)) {
                    if (step.state() != RunStepRecord.State.COMPLETED && step.state() != RunStepRecord.State.WAITING
                            && !underWay(step)) {
                        setStep(runId, step.stepId(), RunStepRecord.State.WAITING, "error = NULL");
                    }
                }
            });
        }
    }

    private boolean underWay(RunStepRecord step) {
        return step.state() == RunStepRecord.State.RUNNING && step.taskId() != null
                && tasks.findTask(step.taskId()).map(task -> !task.state().terminal()).orElse(false);
    }

    @Override
    public void stepStarted(String runId, String stepId, Instant at) {
        synchronized (lock) {
            db.inTransaction(() -> setStep(runId, stepId, RunStepRecord.State.RUNNING, "attempt = attempt + 1, "
                    + "task_id = NULL, started_at = ?, finished_at = NULL", millis(at)));
        }
    }

    @Override
    public void stepTask(String runId, String stepId, String taskId) {
        synchronized (lock) {
            db.inTransaction(() -> {
                db.update("UPDATE run_steps SET task_id = ? WHERE run_id = ? AND step_id = ?", taskId, runId, stepId);
                db.update("UPDATE tasks SET run_id = ?, step_id = ? WHERE id = ?", runId, stepId, taskId);
                // A step that began as its run was being cancelled: its task is cancelled too.
                Instant asked = tasks.cancelRequestedAt("runs", runId);
                if (asked != null) {
                    tasks.requestCancel(taskId, asked);
                }
            });
        }
    }

    @Override
    public Optional<RunRecord> requestCancel(String runId, Instant at) {
        synchronized (lock) {
            return db.inTransaction(() -> {
                Optional<RunRecord> run = findRun(runId);
                if (run.isPresent() && run.get().state() == RunRecord.State.RUNNING) {
                    tasks.requestCancelOfGroup("runs", "run_id", runId, at);
                }
                return run;
            });
        }
    }

    @Override
    public boolean cancelRequested(String runId) {
        synchronized (lock) {
            return tasks.cancelRequestedAt("runs", runId) != null;
        }
    }

    @Override
    public Optional<StepOfRun> stepOf(String taskId) {
        synchronized (lock) {
            return db.query("SELECT run_id, step_id FROM tasks WHERE id = ? AND run_id IS NOT NULL",
                    rows -> rows.next() ? Optional.of(new StepOfRun(rows.getString(1), rows.getString(2)))
                            : Optional.empty(), taskId);
        }
    }

    @Override
    public void stepEnded(String runId, String stepId, RunStepRecord.State state, String resultJson, String error,
            Instant at) {
        synchronized (lock) {
            db.inTransaction(() -> setStep(runId, stepId, state, "result = ?, error = ?, finished_at = ?", resultJson, error,
                    millis(at)));
        }
    }

    @Override
    public void runEnded(String runId, RunRecord.State state, String failedStep, Instant at) {
        synchronized (lock) {
            db.inTransaction(() -> {
                RunRecord.State from = checked(runId, state);
                db.update("UPDATE runs SET state = ?, failed_step = ?, finished_at = ?, updated_at = ? WHERE id = ? AND state = ?",
                        state.label(), failedStep, millis(at), millis(at), runId, from.label());
            });
        }
    }

    /** The run's state, when it may become {@code to} (RunStateMachine); else the change is refused. */
    private RunRecord.State checked(String runId, RunRecord.State to) {
        RunRecord.State from = findRun(runId).orElseThrow(() -> new IllegalStateException("no run " + runId)).state();
        if (!RunStateMachine.allowed(from, to)) {
            throw new IllegalStateException("run " + runId + " cannot go from " + from.label() + " to " + to.label());
        }
        return from;
    }

    /**
     * Moves a step to {@code to}, from the state it is in when RunStateMachine allows it, setting
     * {@code assignments} (SQL with {@code ?} for {@code values}) too; else the change is refused.
     */
    private void setStep(String runId, String stepId, RunStepRecord.State to, String assignments, Object... values) {
        RunStepRecord.State from = db.query("SELECT state FROM run_steps WHERE run_id = ? AND step_id = ?",
                rows -> rows.next() ? RunStepRecord.State.valueOf(rows.getString(1).toUpperCase(Locale.ROOT)) : null,
                runId, stepId);
        if (from == null) {
            throw new IllegalStateException("run " + runId + " has no step '" + stepId + "'");
        }
        if (!RunStateMachine.allowed(from, to)) {
            throw new IllegalStateException("step '" + stepId + "' of run " + runId + " cannot go from " + from.label()
                    + " to " + to.label());
        }
        Object[] arguments = new Object[values.length + 4];
        arguments[0] = to.label();
        System.arraycopy(values, 0, arguments, 1, values.length);
        arguments[values.length + 1] = runId;
        arguments[values.length + 2] = stepId;
        arguments[values.length + 3] = from.label();
        db.update("UPDATE run_steps SET state = ?, " + assignments + " WHERE run_id = ? AND step_id = ? AND state = ?",
                arguments);
    }

    @Override
    public Optional<RunRecord> findRun(String runId) {
        synchronized (lock) {
            return db.query("SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ?",
                    rows -> rows.next() ? Optional.of(run(rows)) : Optional.empty(), runId);
        }
    }

    @Override
    public List<RunStepRecord> steps(String runId) {
        synchronized (lock) {
            return db.query("SELECT run_id, step_id, state, attempt, task_id, result, error, started_at, finished_at "
                    + "FROM run_steps WHERE run_id = ? ORDER BY " + db.insertionOrder(), rows -> {
                        List<RunStepRecord> list = new ArrayList<>();
                        while (rows.next()) {
                            list.add(new RunStepRecord(rows.getString(1), rows.getString(2),
                                    RunStepRecord.State.valueOf(rows.getString(3).toUpperCase(Locale.ROOT)), rows.getInt(4),
                                    rows.getString(5), rows.getString(6), rows.getString(7), TaskRows.instant(rows, 8),
                                    TaskRows.instant(rows, 9)));
                        }
                        return list;
                    }, runId);
        }
    }

    @Override
    public List<RunRecord> recentRuns(int limit) {
        synchronized (lock) {
            return db.query("SELECT " + RUN_COLUMNS + " FROM runs ORDER BY created_at DESC, id DESC LIMIT ?", rows -> {
                List<RunRecord> list = new ArrayList<>();
                while (rows.next()) {
                    list.add(run(rows));
                }
                return list;
            }, limit);
        }
    }

    private static RunRecord run(ResultSet rows) throws SQLException {
        return new RunRecord(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                rows.getString(6), rows.getString(7), rows.getDouble(8),
                RunRecord.State.valueOf(rows.getString(9).toUpperCase(Locale.ROOT)), rows.getString(10), rows.getString(11),
                TaskRows.instant(rows, 12), TaskRows.instant(rows, 13));
    }
}
