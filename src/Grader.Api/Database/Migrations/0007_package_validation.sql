-- Every uploaded version is validated in the sandbox before it may be published (ValidatePackageJob):
-- Pending -> Running -> Passed | Failed. The report (reference, starter, each recorded mistake
-- declared against what it got) is the grader's own shape, so JSONB.
ALTER TABLE assignment_versions
    ADD COLUMN validation_state     text        NOT NULL DEFAULT 'Pending'
        CHECK (validation_state IN ('Pending', 'Running', 'Passed', 'Failed')),
    ADD COLUMN validation_report    jsonb       NULL,
    ADD COLUMN validation_job_id    text        NULL,
    ADD COLUMN validation_attempts  integer     NOT NULL DEFAULT 0,
    ADD COLUMN validated_at         timestamptz NULL,
    -- Set by an upload with ?publish=true: the version is published as soon as it passes.
    ADD COLUMN publish_when_valid   boolean     NOT NULL DEFAULT false;

-- Versions stored before validation existed and already published stay live; the bootstrap and
-- the upload of the same content queue their validation again (Pending, no job).
CREATE INDEX assignment_versions_unvalidated ON assignment_versions (assignment_id, version) WHERE validation_state IN ('Pending', 'Running');
