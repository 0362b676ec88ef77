-- Version 9: a user's request to cancel a task (mayfly cancel), which the supervisor running the task
-- reads and carries out; null while nobody asked.

ALTER TABLE tasks ADD COLUMN cancel_requested_at INTEGER;
CREATE INDEX tasks_cancel_requested ON tasks (supervisor_id) WHERE cancel_requested_at IS NOT NULL;
