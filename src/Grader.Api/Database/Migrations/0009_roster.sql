-- The instructor's roster: a student's email from the imported roster file, and sign-in links
-- an instructor withdrew before they were used.

ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '' CHECK (length(email) <= 320);

ALTER TABLE sign_in_links ADD COLUMN revoked_at timestamptz NULL;
