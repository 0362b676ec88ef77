-- Version 3: checkpoints, and a task's attempts and rotations (one task may run in several workers).

ALTER TABLE tasks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tasks ADD COLUMN rotations INTEGER NOT NULL DEFAULT 0;

CREATE TABLE checkpoints (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL REFERENCES tasks (id),
    attempt INTEGER NOT NULL,
    at      INTEGER NOT NULL,
    state   TEXT NOT NULL
);
CREATE INDEX checkpoints_by_task ON checkpoints (task_id, id);
