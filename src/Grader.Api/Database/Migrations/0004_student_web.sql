-- Student web pages: one-time sign-in links, the shared data-protection key ring, and a
-- notification on every submission state change.

-- Only the SHA-256 of a link's token is stored; a link signs in once, before it expires.
CREATE TABLE sign_in_links (
    id          uuid        PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES users (id),
    token_hash  bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz NULL
);
CREATE INDEX sign_in_links_user ON sign_in_links (user_id);

-- ASP.NET Core data-protection keys (cookies, antiforgery), so that every node reads every other's.
CREATE TABLE data_protection_keys (
    name        text        PRIMARY KEY,
    xml         text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Payload "<submission id> <status>" on channel submission_status, delivered when the change commits.
-- A trigger catches every transition, whichever code path makes it.
CREATE FUNCTION notify_submission_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('submission_status', NEW.id::text || ' ' || NEW.status);
    RETURN NULL;
END
$$;

CREATE TRIGGER submissions_status_inserted AFTER INSERT ON submissions
    FOR EACH ROW EXECUTE FUNCTION notify_submission_status();

CREATE TRIGGER submissions_status_changed AFTER UPDATE OF status ON submissions
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION notify_submission_status();
