-- Version 2: workflow runs and their steps.

CREATE TABLE runs (
    id            TEXT PRIMARY KEY,
    supervisor_id TEXT NOT NULL REFERENCES supervisors (id),
    workflow      TEXT NOT NULL,
    source        TEXT NOT NULL,
    -- the workflow file's text when the run started, so that it can be resumed as it was defined
    definition    TEXT NOT NULL,
    prompt        TEXT NOT NULL,
    params        TEXT NOT NULL DEFAULT '{}',
    complexity    REAL NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('running', 'completed', 'failed')),
    failed_step   TEXT,
    folder        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX runs_by_created ON runs (created_at);

CREATE TABLE run_steps (
    run_id      TEXT NOT NULL REFERENCES runs (id),
    step_id     TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('waiting', 'running', 'completed', 'failed', 'skipped')),
    attempt     INTEGER NOT NULL DEFAULT 0,
    task_id     TEXT,
    result      TEXT,
    error       TEXT,
    started_at  INTEGER,
    finished_at INTEGER,
    PRIMARY KEY (run_id, step_id)
);
