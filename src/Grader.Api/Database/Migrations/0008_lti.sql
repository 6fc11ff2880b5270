-- LTI 1.3 Advantage: the platforms instructors register, the tool's own signing keys, launches in
-- progress, who a platform's users are here, the resource links that point at assignments, and the
-- score queue to the platforms' gradebooks (AGS) with its attempt log.

CREATE TABLE lti_platforms (
    id             uuid        PRIMARY KEY,
    name           text        NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    issuer         text        NOT NULL CHECK (length(issuer) BETWEEN 1 AND 2000),
    client_id      text        NOT NULL CHECK (length(client_id) BETWEEN 1 AND 200),
    deployment_ids text[]      NOT NULL CHECK (cardinality(deployment_ids) > 0),
    auth_url       text        NOT NULL CHECK (length(auth_url) BETWEEN 1 AND 2000),
    token_url      text        NOT NULL CHECK (length(token_url) BETWEEN 1 AND 2000),
    jwks_url       text        NOT NULL CHECK (length(jwks_url) BETWEEN 1 AND 2000),
    created_by     uuid        NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issuer, client_id)
);

-- RS256 keys the tool signs with (deep-linking responses, client assertions). The private key is
-- sealed like the webhook secrets; a rotated-out key stays published until retire_at.
CREATE TABLE lti_tool_keys (
    kid         text        PRIMARY KEY,
    private_key bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    retire_at   timestamptz NULL
);

-- One row per login initiation: the state and nonce sent to the platform, consumed by the launch.
CREATE TABLE lti_logins (
    state       text        PRIMARY KEY,
    nonce       text        NOT NULL,
    platform_id uuid        NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX lti_logins_expiry ON lti_logins (expires_at);

-- A platform's user (sub) is one Grader user.
CREATE TABLE lti_users (
    platform_id uuid        NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
    sub         text        NOT NULL CHECK (length(sub) BETWEEN 1 AND 255),
    user_id     uuid        NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform_id, sub)
);
CREATE INDEX lti_users_user ON lti_users (user_id);

-- A resource link in a course (context) of a platform, pointing at an assignment, with the
-- service endpoints its launches announced.
CREATE TABLE lti_links (
    id               uuid        PRIMARY KEY,
    platform_id      uuid        NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
    deployment_id    text        NOT NULL,
    context_id       text        NOT NULL,
    resource_link_id text        NOT NULL,
    assignment_id    text        NOT NULL REFERENCES assignments (id),
    lineitems_url    text        NULL,
    lineitem_url     text        NULL,
    memberships_url  text        NULL,
    ags_scopes       text[]      NOT NULL DEFAULT '{}',
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (platform_id, deployment_id, resource_link_id)
);
CREATE INDEX lti_links_assignment ON lti_links (assignment_id);

-- Who belongs to a platform's course, from launches and roster syncs.
CREATE TABLE lti_members (
    platform_id uuid        NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
    context_id  text        NOT NULL,
    user_id     uuid        NOT NULL REFERENCES users (id),
    roles       text[]      NOT NULL DEFAULT '{}',
    status      text        NOT NULL DEFAULT 'Active',
    synced_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform_id, context_id, user_id)
);

-- Scores to post, written in the transaction that changed the grade (next to grade.changed);
-- claimed with FOR UPDATE SKIP LOCKED and a lease, so posting is at-least-once.
CREATE TABLE lti_score_deliveries (
    id              uuid        PRIMARY KEY,
    link_id         uuid        NOT NULL REFERENCES lti_links (id) ON DELETE CASCADE,
    user_id         uuid        NOT NULL REFERENCES users (id),
    sub             text        NOT NULL,
    score           jsonb       NOT NULL,
    status          text        NOT NULL CHECK (status IN ('Pending', 'Delivered', 'Failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    locked_until    timestamptz NULL,
    last_error      text        NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz NULL
);
CREATE INDEX lti_score_deliveries_due ON lti_score_deliveries (next_attempt_at) WHERE status = 'Pending';

CREATE TABLE lti_score_attempts (
    delivery_id uuid             NOT NULL REFERENCES lti_score_deliveries (id) ON DELETE CASCADE,
    attempt     integer          NOT NULL,
    started_at  timestamptz      NOT NULL,
    status_code integer          NULL,
    latency_ms  double precision NOT NULL,
    error       text             NULL,
    PRIMARY KEY (delivery_id, attempt)
);
