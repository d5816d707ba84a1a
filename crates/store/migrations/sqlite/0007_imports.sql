-- Imports from other systems (Slack, Stack Exchange, mailing lists). Every
-- record brought in is remembered by its stable key in the source, with
-- what it became: importing the same export again adds nothing, and an
-- import stopped midway resumes where it stopped. Instants are milliseconds
-- since the Unix epoch (UTC).
CREATE TABLE import_keys (
    source_key TEXT PRIMARY KEY,
    -- person, thread, reply, or alias (another name for a thread).
    kind TEXT NOT NULL,
    person_id BIGINT REFERENCES people (id),
    thread_id BIGINT REFERENCES threads (id),
    reply_id BIGINT REFERENCES replies (id),
    at BIGINT NOT NULL
);
CREATE INDEX import_keys_person ON import_keys (person_id);

-- Where an imported person came from ("slack", "stackexchange", "mbox");
-- they have no password until they claim their account.
ALTER TABLE people ADD COLUMN imported_from TEXT;

-- One-time links with which an imported person claims their account: the
-- secret is shown once, only its digest is kept.
CREATE TABLE claim_links (
    digest TEXT PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX claim_links_person ON claim_links (person_id);
