-- Version 10: a user may cancel a whole workflow run or batch (mayfly cancel run-… / batch-…). Each
-- keeps when that was asked; a run, its steps and a batch may end 'cancelled'. SQLite cannot change
-- a CHECK constraint in place, so the three tables are built again and their rows copied (the
-- migration runner turns foreign keys off around it and checks them before it commits).

CREATE TABLE runs_v10 (
    id                  TEXT PRIMARY KEY,
    supervisor_id       TEXT NOT NULL REFERENCES supervisors (id),
    workflow            TEXT NOT NULL,
    source              TEXT NOT NULL,
    -- the workflow file's text when the run started, so that it can be resumed as it was defined
    definition          TEXT NOT NULL,
    prompt              TEXT NOT NULL,
    params              TEXT NOT NULL DEFAULT '{}',
    complexity          REAL NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'cancelled')),
    failed_step         TEXT,
    folder              TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    finished_at         INTEGER,
    updated_at          INTEGER NOT NULL,
    cancel_requested_at INTEGER
);
INSERT INTO runs_v10 (id, supervisor_id, workflow, source, definition, prompt, params, complexity, state,
        failed_step, folder, created_at, finished_at, updated_at)
    SELECT id, supervisor_id, workflow, source, definition, prompt, params, complexity, state,
        failed_step, folder, created_at, finished_at, updated_at FROM runs;
DROP TABLE runs;
ALTER TABLE runs_v10 RENAME TO runs;
CREATE INDEX runs_by_created ON runs (created_at);

CREATE TABLE run_steps_v10 (
    run_id      TEXT NOT NULL REFERENCES runs (id),
    step_id     TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('waiting', 'running', 'completed', 'failed', 'skipped', 'cancelled')),
    attempt     INTEGER NOT NULL DEFAULT 0,
    task_id     TEXT,
    result      TEXT,
    error       TEXT,
    started_at  INTEGER,
    finished_at INTEGER,
    PRIMARY KEY (run_id, step_id)
);
INSERT INTO run_steps_v10 (run_id, step_id, state, attempt, task_id, result, error, started_at, finished_at)
    SELECT run_id, step_id, state, attempt, task_id, result, error, started_at, finished_at FROM run_steps;
DROP TABLE run_steps;
ALTER TABLE run_steps_v10 RENAME TO run_steps;

CREATE TABLE batches_v10 (
    id                  TEXT    PRIMARY KEY,
    supervisor_id       TEXT    NOT NULL REFERENCES supervisors (id),
    file                TEXT    NOT NULL,
    lines               INTEGER NOT NULL,
    state               TEXT    NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'interrupted', 'cancelled')),
    created_at          INTEGER NOT NULL,
    finished_at         INTEGER,
    cancel_requested_at INTEGER
);
INSERT INTO batches_v10 (id, supervisor_id, file, lines, state, created_at, finished_at)
    SELECT id, supervisor_id, file, lines, state, created_at, finished_at FROM batches;
DROP TABLE batches;
ALTER TABLE batches_v10 RENAME TO batches;
