-- Regrades as rows of their own: each regrade, and per submission it put back in the queue the
-- score and the student's grade before, and once it finished the score and grade after. The
-- outcome is written in the transaction that stores the result, so a later regrade or a new
-- submission never rewrites an earlier regrade's history, and every node reads the same progress.
CREATE TABLE regrades (
    id            uuid        PRIMARY KEY,
    assignment_id text        NOT NULL REFERENCES assignments (id),
    version       integer     NOT NULL,
    started_at    timestamptz NOT NULL,
    FOREIGN KEY (assignment_id, version) REFERENCES assignment_versions (assignment_id, version)
);
CREATE INDEX regrades_assignment ON regrades (assignment_id, started_at DESC);

CREATE TABLE regrade_submissions (
    regrade_id    uuid             NOT NULL REFERENCES regrades (id),
    submission_id uuid             NOT NULL REFERENCES submissions (id),
    student_id    uuid             NOT NULL REFERENCES users (id),
    score_before  double precision NULL,
    max_before    double precision NULL,
    -- The student's effective grade (after policy and late penalty), NULL when they had none.
    grade_before  double precision NULL,
    status_after  text             NULL,
    score_after   double precision NULL,
    max_after     double precision NULL,
    grade_after   double precision NULL,
    finished_at   timestamptz      NULL,
    PRIMARY KEY (regrade_id, submission_id)
);

-- Payload "<regrade id> <submission id>" on channel regrade_progress, delivered at commit.
CREATE FUNCTION notify_regrade_progress() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('regrade_progress', NEW.regrade_id::text || ' ' || NEW.submission_id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER regrade_submissions_finished AFTER UPDATE OF finished_at ON regrade_submissions
    FOR EACH ROW WHEN (OLD.finished_at IS NULL AND NEW.finished_at IS NOT NULL) EXECUTE FUNCTION notify_regrade_progress();

-- Regrades started before this table existed live on only in their submissions' regrade_id.
INSERT INTO regrades (id, assignment_id, version, started_at)
SELECT DISTINCT ON (regrade_id) regrade_id, assignment_id, assignment_version, queued_at
FROM submissions WHERE regrade_id IS NOT NULL
ORDER BY regrade_id, queued_at;

INSERT INTO regrade_submissions (regrade_id, submission_id, student_id, score_before, status_after, score_after, max_after, finished_at)
SELECT regrade_id, id, student_id, previous_score,
       CASE WHEN status IN ('Queued', 'Running') THEN NULL ELSE status END,
       CASE WHEN status IN ('Queued', 'Running') THEN NULL ELSE score END,
       CASE WHEN status IN ('Queued', 'Running') THEN NULL ELSE max_score END,
       CASE WHEN status IN ('Queued', 'Running') THEN NULL ELSE coalesce(finished_at, queued_at) END
FROM submissions WHERE regrade_id IS NOT NULL;

-- The statistics page reads each student's counting submission through the grades table.
CREATE INDEX grades_assignment ON grades (assignment_id);
