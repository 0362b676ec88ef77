-- Version 4: an agent's working context, kept as segments (head, recent, mid-term), and one checkpoint a task.

CREATE TABLE context_segments (
    task_id            TEXT    NOT NULL REFERENCES tasks (id),
    seq                INTEGER NOT NULL,
    attempt            INTEGER NOT NULL,
    at                 INTEGER NOT NULL,
    tier               TEXT    NOT NULL CHECK (tier IN ('head', 'recent', 'mid-term')),
    role               TEXT    NOT NULL,
    content            TEXT    NOT NULL,
    tokens             INTEGER NOT NULL,
    summarises_through INTEGER NOT NULL DEFAULT -1,
    PRIMARY KEY (task_id, seq)
);

-- Only a task's latest checkpoint is needed to continue it. The LLM agent saves one after every
-- tool call, each as large as its context window, so older ones would only fill the disk; the
-- checkpoint events still record each of them.
DELETE FROM checkpoints WHERE id NOT IN (SELECT MAX(id) FROM checkpoints GROUP BY task_id);
CREATE UNIQUE INDEX checkpoints_one_per_task ON checkpoints (task_id);
