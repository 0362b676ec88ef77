-- Version 11: a task submitted to 'mayfly serve' is the server's to run, whichever server process
-- that is: one that is killed leaves its queued tasks for the next server of the home, which runs
-- them (they are not settled as interrupted). Their request is kept as a batch line's is, in the
-- 'request' column, so that the next server runs each exactly as it was asked.
ALTER TABLE tasks ADD COLUMN origin TEXT;
CREATE INDEX tasks_server_queue ON tasks (origin, state) WHERE origin IS NOT NULL;
