-- Version 1: the schema the SQLite store has at its version 13, in PostgreSQL's words. Times are
-- milliseconds since the epoch (UTC), as there. The store's code is the same for both
-- (JdbcTaskStore); only the column that orders inserts differs: SQLite's rowid is 'seq' here.

CREATE TABLE supervisors (
    id                    TEXT PRIMARY KEY,
    host                  TEXT NOT NULL,
    pid                   BIGINT NOT NULL,
    -- the process's own start time, so that a reused pid is not taken for a live supervisor
    pid_started_at        BIGINT,
    started_at            BIGINT NOT NULL,
    stopped_at            BIGINT,
    heartbeat_at          BIGINT,
    heartbeat_interval_ms BIGINT,
    control_url           TEXT,
    control_token         TEXT
);

CREATE TABLE batches (
    id                  TEXT    PRIMARY KEY,
    supervisor_id       TEXT    NOT NULL REFERENCES supervisors (id),
    file                TEXT    NOT NULL,
    lines               INTEGER NOT NULL,
    state               TEXT    NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'interrupted', 'cancelled')),
    created_at          BIGINT  NOT NULL,
    finished_at         BIGINT,
    cancel_requested_at BIGINT,
    origin              TEXT
);

CREATE TABLE tasks (
    seq                 BIGSERIAL,
    id                  TEXT PRIMARY KEY,
    supervisor_id       TEXT NOT NULL REFERENCES supervisors (id),
    prompt              TEXT NOT NULL,
    agent               TEXT NOT NULL,
    params              TEXT NOT NULL DEFAULT '{}',
    complexity          DOUBLE PRECISION NOT NULL,
    long_running        INTEGER NOT NULL,
    mode                TEXT NOT NULL CHECK (mode IN ('worker', 'in-process')),
    routing_reason      TEXT NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    reason              TEXT CHECK (reason IN ('error', 'out_of_memory', 'crashed', 'timed_out', 'interrupted')),
    exit_code           INTEGER,
    pid                 BIGINT,
    heap_limit_mb       INTEGER,
    timeout_ms          BIGINT NOT NULL,
    priority            INTEGER NOT NULL DEFAULT 0,
    work_dir            TEXT NOT NULL,
    log_path            TEXT,
    created_at          BIGINT NOT NULL,
    started_at          BIGINT,
    finished_at         BIGINT,
    updated_at          BIGINT NOT NULL,
    execution_time_ms   BIGINT,
    memory_peak_mb      DOUBLE PRECISION,
    rss_peak_mb         DOUBLE PRECISION,
    result              TEXT,
    error               TEXT,
    version             INTEGER NOT NULL DEFAULT 0,
    attempts            INTEGER NOT NULL DEFAULT 1,
    rotations           INTEGER NOT NULL DEFAULT 0,
    resident_peak_mb    DOUBLE PRECISION,
    memory_cap_mb       INTEGER,
    wait_reason         TEXT,
    run_id              TEXT,
    step_id             TEXT,
    batch_id            TEXT REFERENCES batches (id),
    batch_line          INTEGER,
    request             TEXT,
    cancel_requested_at BIGINT,
    origin              TEXT
);
CREATE INDEX tasks_by_state ON tasks (state);
CREATE INDEX tasks_by_created ON tasks (created_at);
CREATE INDEX tasks_by_batch ON tasks (batch_id, batch_line);
CREATE INDEX tasks_cancel_requested ON tasks (supervisor_id) WHERE cancel_requested_at IS NOT NULL;
CREATE INDEX tasks_server_queue ON tasks (origin, state) WHERE origin IS NOT NULL;

CREATE TABLE memory_samples (
    id                BIGSERIAL PRIMARY KEY,
    task_id           TEXT NOT NULL REFERENCES tasks (id),
    at                BIGINT NOT NULL,
    heap_used_mb      DOUBLE PRECISION NOT NULL,
    heap_committed_mb DOUBLE PRECISION NOT NULL,
    heap_max_mb       DOUBLE PRECISION NOT NULL,
    heap_used_percent DOUBLE PRECISION NOT NULL,
    non_heap_mb       DOUBLE PRECISION NOT NULL,
    rss_mb            DOUBLE PRECISION NOT NULL,
    gc_count          BIGINT NOT NULL,
    gc_time_ms        BIGINT NOT NULL,
    resident_mb       DOUBLE PRECISION,
    processes         INTEGER
);
CREATE INDEX memory_samples_by_task ON memory_samples (task_id, at);

CREATE TABLE events (
    id            BIGSERIAL PRIMARY KEY,
    task_id       TEXT REFERENCES tasks (id),
    supervisor_id TEXT,
    at            BIGINT NOT NULL,
    type          TEXT NOT NULL,
    data          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_task ON events (task_id, id);

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END;
$$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();

CREATE TABLE runs (
    id                  TEXT PRIMARY KEY,
    supervisor_id       TEXT NOT NULL REFERENCES supervisors (id),
    workflow            TEXT NOT NULL,
    source              TEXT NOT NULL,
    -- the workflow file's text when the run started, so that it can be resumed as it was defined
    definition          TEXT NOT NULL,
    prompt              TEXT NOT NULL,
    params              TEXT NOT NULL DEFAULT '{}',
    complexity          DOUBLE PRECISION NOT NULL,
    state               TEXT NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'cancelled')),
    failed_step         TEXT,
    folder              TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    finished_at         BIGINT,
    updated_at          BIGINT NOT NULL,
    cancel_requested_at BIGINT,
    origin              TEXT
);
CREATE INDEX runs_by_created ON runs (created_at);

CREATE TABLE run_steps (
    seq         BIGSERIAL,
    run_id      TEXT NOT NULL REFERENCES runs (id),
    step_id     TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('waiting', 'running', 'completed', 'failed', 'skipped', 'cancelled')),
    attempt     INTEGER NOT NULL DEFAULT 0,
    task_id     TEXT,
    result      TEXT,
    error       TEXT,
    started_at  BIGINT,
    finished_at BIGINT,
    PRIMARY KEY (run_id, step_id)
);

CREATE TABLE checkpoints (
    id      BIGSERIAL PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks (id),
    attempt INTEGER NOT NULL,
    at      BIGINT NOT NULL,
    state   TEXT NOT NULL
);
CREATE UNIQUE INDEX checkpoints_one_per_task ON checkpoints (task_id);

CREATE TABLE context_segments (
    task_id            TEXT    NOT NULL REFERENCES tasks (id),
    seq                BIGINT  NOT NULL,
    attempt            INTEGER NOT NULL,
    at                 BIGINT  NOT NULL,
    tier               TEXT    NOT NULL CHECK (tier IN ('head', 'recent', 'mid-term')),
    role               TEXT    NOT NULL,
    content            TEXT    NOT NULL,
    tokens             BIGINT  NOT NULL,
    summarises_through BIGINT  NOT NULL DEFAULT -1,
    PRIMARY KEY (task_id, seq)
);

CREATE TABLE task_attempts (
    task_id          TEXT    NOT NULL REFERENCES tasks (id),
    attempt          INTEGER NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('first', 'rotation', 'restart', 'retry')),
    heap_mb          INTEGER,
    memory_cap_mb    INTEGER,
    enforcement      TEXT,
    pid              BIGINT,
    started_at       BIGINT NOT NULL,
    ended_at         BIGINT,
    outcome          TEXT,
    error            TEXT,
    heap_peak_mb     DOUBLE PRECISION,
    resident_peak_mb DOUBLE PRECISION,
    escaped          INTEGER,
    PRIMARY KEY (task_id, attempt)
);
