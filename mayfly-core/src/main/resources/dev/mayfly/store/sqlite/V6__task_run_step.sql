-- Version 6: the workflow run and step each task ran for (NULL for a task of its own), so that a
-- task's detail names them. run_steps keeps only a step's latest task; a step run again by
-- 'mayfly resume' leaves its earlier tasks here, still named.
ALTER TABLE tasks ADD COLUMN run_id TEXT;
ALTER TABLE tasks ADD COLUMN step_id TEXT;
