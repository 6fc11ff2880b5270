-- Users, API keys, assignments and their versions, submissions, grades.

CREATE TABLE users (
    id           uuid        PRIMARY KEY,
    external_id  text        NOT NULL UNIQUE CHECK (length(external_id) BETWEEN 1 AND 200),
    display_name text        NOT NULL DEFAULT '',
    role         text        NOT NULL CHECK (role IN ('student', 'instructor')),
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a key is stored; the prefix finds the row without scanning.
CREATE TABLE api_keys (
    id           uuid        PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id),
    prefix       text        NOT NULL UNIQUE,
    key_hash     bytea       NOT NULL CHECK (length(key_hash) = 32),
    name         text        NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz NULL
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE assignments (
    id                   text             PRIMARY KEY,
    title                text             NOT NULL,
    published            boolean          NOT NULL DEFAULT false,
    current_version      integer          NULL,
    opens_at             timestamptz      NULL,
    due_at               timestamptz      NULL,
    -- Fraction of the score lost per started day late, e.g. 0.1.
    late_penalty_per_day double precision NOT NULL DEFAULT 0 CHECK (late_penalty_per_day >= 0 AND late_penalty_per_day <= 1),
    hard_cutoff_at       timestamptz      NULL,
    max_submissions      integer          NULL CHECK (max_submissions > 0),
    score_policy         text             NOT NULL DEFAULT 'best' CHECK (score_policy IN ('best', 'last')),
    reveal_after_due     boolean          NOT NULL DEFAULT true,
    created_at           timestamptz      NOT NULL DEFAULT now(),
    updated_at           timestamptz      NOT NULL DEFAULT now()
);

CREATE TABLE assignment_versions (
    assignment_id    text        NOT NULL REFERENCES assignments (id),
    version          integer     NOT NULL CHECK (version > 0),
    content_hash     text        NOT NULL,
    manifest         jsonb       NOT NULL,
    -- Kept beside the package so reading an assignment never has to unpack it.
    statement        text        NOT NULL,
    starter          text        NOT NULL,
    -- Every file of the package as a zip, exactly as it was loaded.
    package          bytea       NOT NULL,
    -- The reference's outputs per case, computed once by the first worker that needs them.
    expected_outputs jsonb       NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (assignment_id, version),
    UNIQUE (assignment_id, content_hash)
);

ALTER TABLE assignments ADD FOREIGN KEY (id, current_version) REFERENCES assignment_versions (assignment_id, version) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE submissions (
    id                 uuid             PRIMARY KEY,
    student_id         uuid             NOT NULL REFERENCES users (id),
    assignment_id      text             NOT NULL REFERENCES assignments (id),
    assignment_version integer          NOT NULL,
    source             text             NOT NULL,
    source_hash        text             NOT NULL,
    idempotency_key    text             NULL,
    -- Queued -> Running -> Graded | CompileError | Rejected | Failed; a regrade puts a finished one back to Queued.
    status             text             NOT NULL CHECK (status IN ('Queued', 'Running', 'Graded', 'CompileError', 'Rejected', 'Failed')),
    attempts           integer          NOT NULL DEFAULT 0,
    -- The node that last started grading it (Quartz instance id), for operators and tests.
    worker             text             NULL,
    submitted_at       timestamptz      NOT NULL DEFAULT now(),
    queued_at          timestamptz      NOT NULL DEFAULT now(),
    started_at         timestamptz      NULL,
    finished_at        timestamptz      NULL,
    score              double precision NULL,
    max_score          double precision NULL,
    report             jsonb            NULL,
    regrade_id         uuid             NULL,
    previous_score     double precision NULL,
    FOREIGN KEY (assignment_id, assignment_version) REFERENCES assignment_versions (assignment_id, version),
    UNIQUE (student_id, assignment_id, idempotency_key)
);
CREATE INDEX submissions_student ON submissions (student_id, assignment_id, submitted_at DESC);
CREATE INDEX submissions_assignment ON submissions (assignment_id, submitted_at DESC);
CREATE INDEX submissions_pending ON submissions (queued_at) WHERE status IN ('Queued', 'Running');
CREATE INDEX submissions_regrade ON submissions (regrade_id) WHERE regrade_id IS NOT NULL;

-- One row per student and assignment: the counting submission under the assignment's policy,
-- with the late penalty applied. Rewritten whenever a grading finishes or the settings change.
CREATE TABLE grades (
    student_id    uuid             NOT NULL REFERENCES users (id),
    assignment_id text             NOT NULL REFERENCES assignments (id),
    submission_id uuid             NOT NULL REFERENCES submissions (id),
    raw_score     double precision NOT NULL,
    max_score     double precision NOT NULL,
    days_late     integer          NOT NULL,
    penalty       double precision NOT NULL,
    score         double precision NOT NULL,
    updated_at    timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (student_id, assignment_id)
);
