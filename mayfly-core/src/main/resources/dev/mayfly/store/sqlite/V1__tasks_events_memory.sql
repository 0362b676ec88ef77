-- Version 1: supervisors, tasks, memory samples and the append-only event log.
-- Times are milliseconds since the epoch (UTC).

CREATE TABLE supervisors (
    id              TEXT PRIMARY KEY,
    host            TEXT NOT NULL,
    pid             INTEGER NOT NULL,
    -- the process's own start time, so that a reused pid is not taken for a live supervisor
    pid_started_at  INTEGER,
    started_at      INTEGER NOT NULL,
    stopped_at      INTEGER
);

CREATE TABLE tasks (
    id                TEXT PRIMARY KEY,
    supervisor_id     TEXT NOT NULL REFERENCES supervisors (id),
    prompt            TEXT NOT NULL,
    agent             TEXT NOT NULL,
    params            TEXT NOT NULL DEFAULT '{}',
    complexity        REAL NOT NULL,
    long_running      INTEGER NOT NULL,
    mode              TEXT NOT NULL CHECK (mode IN ('worker', 'in-process')),
    routing_reason    TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    reason            TEXT CHECK (reason IN ('error', 'out_of_memory', 'crashed', 'timed_out', 'interrupted')),
    exit_code         INTEGER,
    pid               INTEGER,
    heap_limit_mb     INTEGER,
    timeout_ms        INTEGER NOT NULL,
    priority          INTEGER NOT NULL DEFAULT 0,
    work_dir          TEXT NOT NULL,
    log_path          TEXT,
    created_at        INTEGER NOT NULL,
    started_at        INTEGER,
    finished_at       INTEGER,
    updated_at        INTEGER NOT NULL,
    execution_time_ms INTEGER,
    memory_peak_mb    REAL,
    rss_peak_mb       REAL,
    result            TEXT,
    error             TEXT,
    version           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tasks_by_state ON tasks (state);
CREATE INDEX tasks_by_created ON tasks (created_at);

CREATE TABLE memory_samples (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id           TEXT NOT NULL REFERENCES tasks (id),
    at                INTEGER NOT NULL,
    heap_used_mb      REAL NOT NULL,
    heap_committed_mb REAL NOT NULL,
    heap_max_mb       REAL NOT NULL,
    heap_used_percent REAL NOT NULL,
    non_heap_mb       REAL NOT NULL,
    rss_mb            REAL NOT NULL,
    gc_count          INTEGER NOT NULL,
    gc_time_ms        INTEGER NOT NULL
);
CREATE INDEX memory_samples_by_task ON memory_samples (task_id, at);

CREATE TABLE events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id       TEXT REFERENCES tasks (id),
    supervisor_id TEXT,
    at            INTEGER NOT NULL,
    type          TEXT NOT NULL,
    data          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_task ON events (task_id, id);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
