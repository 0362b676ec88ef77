-- Version 5: the memory of a task's whole process tree, its cap, why it waits, and each attempt.

-- The tree's peak (shared pages counted once) and cap; NULL for in-process Java agents, which share
-- the supervisor's heap and cannot be measured apart.
ALTER TABLE tasks ADD COLUMN resident_peak_mb REAL;
ALTER TABLE tasks ADD COLUMN memory_cap_mb INTEGER;
-- Why a queued task has not started yet (memory admission, a retry's backoff); NULL otherwise.
ALTER TABLE tasks ADD COLUMN wait_reason TEXT;

-- The tree's memory with each sample; NULL in rows written before version 5. A row of an
-- in-process command has heap fields of -1 (no JVM of its own).
ALTER TABLE memory_samples ADD COLUMN resident_mb REAL;
ALTER TABLE memory_samples ADD COLUMN processes INTEGER;

-- Every attempt of a task: its first worker, rotations, restarts after a crash, retries.
CREATE TABLE task_attempts (
    task_id          TEXT    NOT NULL REFERENCES tasks (id),
    attempt          INTEGER NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('first', 'rotation', 'restart', 'retry')),
    heap_mb          INTEGER,
    memory_cap_mb    INTEGER,
    enforcement      TEXT,
    pid              INTEGER,
    started_at       INTEGER NOT NULL,
    ended_at         INTEGER,
    outcome          TEXT,
    error            TEXT,
    heap_peak_mb     REAL,
    resident_peak_mb REAL,
    escaped          INTEGER,
    PRIMARY KEY (task_id, attempt)
);
