-- Outbound webhooks (endpoints, one delivery per event and endpoint, every attempt) and the
-- LMS integrations that submit on students' behalf. Secrets are stored encrypted (AES-GCM):
-- signing and verifying need them in the clear, so a hash would not do.

CREATE TABLE webhook_endpoints (
    id                       uuid        PRIMARY KEY,
    url                      text        NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    description              text        NOT NULL DEFAULT '',
    event_types              text[]      NOT NULL CHECK (cardinality(event_types) > 0),
    secret                   bytea       NOT NULL,
    -- After a rotation the old secret keeps signing (a second signature) until it expires.
    previous_secret          bytea       NULL,
    previous_secret_until    timestamptz NULL,
    created_by               uuid        NOT NULL REFERENCES users (id),
    -- Consecutive failed attempts, and when that streak began; a success resets both.
    failure_streak           integer     NOT NULL DEFAULT 0,
    failing_since            timestamptz NULL,
    disabled_at              timestamptz NULL,
    disabled_reason          text        NULL,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);

-- The outbox and the delivery queue at once: written in the transaction that caused the event,
-- claimed by workers with FOR UPDATE SKIP LOCKED and a lease, so a crashed worker's claim expires.
CREATE TABLE webhook_deliveries (
    id              uuid        PRIMARY KEY,
    endpoint_id     uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    -- The webhook-id header: the same for every attempt and redelivery, so receivers can dedupe.
    message_id      text        NOT NULL,
    event_type      text        NOT NULL,
    -- The exact bytes that are signed and sent.
    payload         text        NOT NULL,
    -- Pending -> Delivered | Failed (retries exhausted); a redelivery puts it back to Pending.
    status          text        NOT NULL CHECK (status IN ('Pending', 'Delivered', 'Failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    -- Attempts since the last (re)delivery request: the position in the retry schedule.
    series_attempts integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    locked_until    timestamptz NULL,
    last_error      text        NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz NULL,
    UNIQUE (endpoint_id, message_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'Pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC);

CREATE TABLE webhook_attempts (
    delivery_id  uuid             NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt      integer          NOT NULL,
    started_at   timestamptz      NOT NULL,
    status_code  integer          NULL,
    latency_ms   double precision NOT NULL,
    error        text             NULL,
    worker       text             NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

CREATE TABLE lms_integrations (
    id                    uuid        PRIMARY KEY,
    name                  text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    secret                bytea       NOT NULL,
    previous_secret       bytea       NULL,
    previous_secret_until timestamptz NULL,
    created_by            uuid        NOT NULL REFERENCES users (id),
    created_at            timestamptz NOT NULL DEFAULT now(),
    revoked_at            timestamptz NULL
);

-- Every accepted inbound message: a second delivery of the same webhook-id finds its submission here.
CREATE TABLE lms_messages (
    integration_id uuid        NOT NULL REFERENCES lms_integrations (id),
    message_id     text        NOT NULL,
    body_sha256    text        NOT NULL,
    submission_id  uuid        NOT NULL REFERENCES submissions (id),
    received_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (integration_id, message_id)
);
