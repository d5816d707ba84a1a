-- Who knows what: each person's choices about inferred expertise. Hiding it
-- keeps their declared skills visible and leaves them out of everything
-- inferred (the directory, their page, suggested answerers); being notified
-- tells them of new questions they are suggested for. No row means neither.
-- Instants are milliseconds since the Unix epoch (UTC).
CREATE TABLE expertise_settings (
    person_id BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    hide_inferred BIGINT NOT NULL DEFAULT 0,
    notify_suggested BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);

-- The evidence is read by author and by accepted answer.
CREATE INDEX threads_accepted_reply ON threads (accepted_reply_id);
CREATE INDEX reactions_helpful ON reactions (reaction, thread_id, reply_id);
CREATE INDEX artifact_revisions_author ON artifact_revisions (author_id);
