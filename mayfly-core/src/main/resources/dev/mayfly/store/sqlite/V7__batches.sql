-- Version 7: batches, stored whole before their first task starts, so that a batch stopped by a
-- crash or a kill loses no line: every line is a queued task from the start, and 'mayfly resume'
-- runs again the lines whose last task did not complete.
CREATE TABLE batches (
    id            TEXT    PRIMARY KEY,
    supervisor_id TEXT    NOT NULL REFERENCES supervisors (id),
    file          TEXT    NOT NULL,
    lines         INTEGER NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'interrupted')),
    created_at    INTEGER NOT NULL,
    finished_at   INTEGER
);

-- The batch and line a task runs for (NULL for a task of its own), and the request as the line
-- gave it (JSON: prompt, agent, params, complexity, folder, limits, priority, workers), which a
-- resume runs again exactly, whatever the settings are then.
ALTER TABLE tasks ADD COLUMN batch_id TEXT REFERENCES batches (id);
ALTER TABLE tasks ADD COLUMN batch_line INTEGER;
ALTER TABLE tasks ADD COLUMN request TEXT;
CREATE INDEX tasks_by_batch ON tasks (batch_id, batch_line);
