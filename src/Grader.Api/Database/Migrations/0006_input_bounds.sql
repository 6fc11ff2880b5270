-- Every text a client sends is bounded by its column, as the API's input policy bounds it
-- (ClientInput, TextLimit). NOT VALID: enforced for every new or changed row, while rows stored
-- before the limits existed (a megabyte display name) do not stop the migration; VALIDATE
-- CONSTRAINT them once they are cleaned up.
ALTER TABLE users ADD CONSTRAINT users_display_name_length CHECK (length(display_name) <= 200) NOT VALID;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_name_length CHECK (length(name) <= 200) NOT VALID;
ALTER TABLE assignments ADD CONSTRAINT assignments_title_length CHECK (length(title) <= 200) NOT VALID;
ALTER TABLE assignment_versions ADD CONSTRAINT assignment_versions_statement_length CHECK (length(statement) <= 1048576) NOT VALID;
ALTER TABLE assignment_versions ADD CONSTRAINT assignment_versions_starter_length CHECK (length(starter) <= 1048576) NOT VALID;
ALTER TABLE submissions ADD CONSTRAINT submissions_source_length CHECK (length(source) <= 65536) NOT VALID;
ALTER TABLE submissions ADD CONSTRAINT submissions_idempotency_key_length CHECK (length(idempotency_key) BETWEEN 1 AND 200) NOT VALID;
ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_description_length CHECK (length(description) <= 500) NOT VALID;
ALTER TABLE webhook_endpoints ADD CONSTRAINT webhook_endpoints_event_types_present CHECK (array_position(event_types, NULL) IS NULL) NOT VALID;
ALTER TABLE lms_messages ADD CONSTRAINT lms_messages_message_id_length CHECK (length(message_id) BETWEEN 1 AND 100) NOT VALID;
