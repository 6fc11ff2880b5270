-- The grading queue moves from Quartz onto Hangfire (its own schema "hangfire", installed after
-- the numbered migrations by Hangfire.PostgreSql's own versioned installer). Quartz's tables go.
DROP TABLE IF EXISTS qrtz_fired_triggers, qrtz_paused_trigger_grps, qrtz_paused_job_grps, qrtz_scheduler_state, qrtz_locks,
    qrtz_simple_triggers, qrtz_cron_triggers, qrtz_simprop_triggers, qrtz_blob_triggers, qrtz_triggers, qrtz_job_details,
    qrtz_calendars, qrtz_execution_history, qrtz_misfire_history, qrtz_job_status CASCADE;

-- A student's lane: at most one of their submissions is dispatched (has a job) or Running at a
-- time; the rest wait Queued in submission order. dispatched_at marks the lane's head, job_id
-- names its Hangfire job once the job exists (NULL between the commit and the enqueue).
ALTER TABLE submissions
    ADD COLUMN dispatched_at timestamptz NULL,
    ADD COLUMN job_id        text        NULL;

CREATE INDEX submissions_lane ON submissions (student_id, submitted_at, id) WHERE status IN ('Queued', 'Running');

-- Submissions queued under Quartz have no job any more: each lane's head is dispatched again by
-- the queue sweeper.
UPDATE submissions SET status = 'Queued' WHERE status = 'Running';
