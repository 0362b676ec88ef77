-- Version 14: the store is the queue of every server node that shares it. A task submitted to a
-- server waits unclaimed (claimed_at NULL) until a node with a free slot claims it; 'claims' counts
-- the claims, and a node's writes about the task are taken only while its claim is the latest (a
-- fencing token: a node that lost its lease cannot complete a task another node now runs).
-- 'retry_limit' is how many more attempts the task may have after crashing or losing its node, and
-- 'retries' how many it had: a node that settles a lost node's tasks reads them here.
ALTER TABLE tasks ADD COLUMN claimed_at INTEGER;
ALTER TABLE tasks ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN retry_limit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
-- Tasks of earlier versions that a server had queued were its own: they count as claimed by it.
UPDATE tasks SET claimed_at = created_at, claims = 1 WHERE origin IS NOT NULL;
-- Each supervisor's live figures (its pool, queue, heap, resident memory) as JSON, written with each
-- heartbeat, so that every node of a cluster shows every other's, whatever machine it is on.
ALTER TABLE supervisors ADD COLUMN figures TEXT;
CREATE INDEX tasks_claimable ON tasks (priority DESC, created_at) WHERE origin IS NOT NULL AND state = 'queued'
    AND claimed_at IS NULL;
