-- Version 13: where each supervisor listens for the commands of other processes on its machine (its
-- loopback control endpoint: live figures for mayfly top, a cancel carried out at once) and the token
-- they must send. Null for a supervisor of an earlier version, or one whose endpoint could not open:
-- those are reached through the store alone.

ALTER TABLE supervisors ADD COLUMN control_url TEXT;
ALTER TABLE supervisors ADD COLUMN control_token TEXT;
