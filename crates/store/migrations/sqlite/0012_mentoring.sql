-- Mentoring: how many mentees each mentor takes at once, and mentorships
-- from proposal to active pair to end. Notifications may now be about a
-- mentorship instead of a thread. Instants are milliseconds since the Unix
-- epoch (UTC).

-- A mentor's capacity; no row means the default (docs/mentoring.md), 0 means
-- not mentoring now.
CREATE TABLE mentor_settings (
    person_id BIGINT PRIMARY KEY REFERENCES people (id),
    capacity BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A proposal and, once both sides accepted, the pair it became. Each side's
-- acceptance is kept; the proposer's is given by proposing (a steward's or
-- the system's proposal needs both).
CREATE TABLE mentorships (
    id INTEGER PRIMARY KEY,
    mentor_id BIGINT NOT NULL REFERENCES people (id),
    mentee_id BIGINT NOT NULL REFERENCES people (id),
    topic TEXT NOT NULL,
    community_id BIGINT REFERENCES communities (id),
    -- 'mentee', 'mentor', 'steward' or 'system'.
    proposer TEXT NOT NULL,
    proposed_by BIGINT REFERENCES people (id),
    note TEXT NOT NULL DEFAULT '',
    -- 'proposed', 'declined', 'withdrawn', 'active' or 'ended'.
    status TEXT NOT NULL,
    mentor_accepted_at BIGINT,
    mentee_accepted_at BIGINT,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    started_at BIGINT,
    ended_at BIGINT,
    ended_by BIGINT REFERENCES people (id),
    CHECK (mentor_id <> mentee_id)
);
CREATE INDEX mentorships_mentor ON mentorships (mentor_id, status);
CREATE INDEX mentorships_mentee ON mentorships (mentee_id, status);
-- Two people have at most one open (proposed or active) mentorship between them.
CREATE UNIQUE INDEX mentorships_open_pair ON mentorships (mentor_id, mentee_id)
    WHERE status IN ('proposed', 'active');

-- Notifications about a mentorship have no thread: rebuilt with thread_id
-- optional (SQLite cannot drop NOT NULL in place).
CREATE TABLE notifications_new (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    thread_id BIGINT REFERENCES threads (id),
    reply_id BIGINT REFERENCES replies (id),
    actor_id BIGINT REFERENCES people (id),
    at BIGINT NOT NULL,
    read_at BIGINT,
    mentorship_id BIGINT REFERENCES mentorships (id)
);
INSERT INTO notifications_new (id, person_id, kind, thread_id, reply_id, actor_id, at, read_at)
    SELECT id, person_id, kind, thread_id, reply_id, actor_id, at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_person ON notifications (person_id, id);
