-- Version 12: a workflow run or a batch started through 'mayfly serve' is the server's, as its
-- submitted tasks are (version 11): one that is killed leaves them for the next server of the home,
-- which takes them up (their steps and lines that did not complete run again).
ALTER TABLE runs ADD COLUMN origin TEXT;
ALTER TABLE batches ADD COLUMN origin TEXT;
