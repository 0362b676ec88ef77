-- Version 8: each supervisor's heartbeat, so that one on another machine (a shared store) can be
-- told alive or gone: the last beat and how often it beats. Null for supervisors of earlier versions.

ALTER TABLE supervisors ADD COLUMN heartbeat_at INTEGER;
ALTER TABLE supervisors ADD COLUMN heartbeat_interval_ms INTEGER;
