-- The shared space: threads and replies with their revisions and tags,
-- accepted answers, anonymous questions, reactions, kudos, notifications and
-- the full-text index (FTS5). Instants are milliseconds since the Unix epoch.

-- Whether members may ask questions without showing their name.
ALTER TABLE communities ADD COLUMN anonymous_questions BIGINT NOT NULL DEFAULT 1;

-- A thread is its opening post. An anonymous question has no author: only a
-- salted digest lets the asker be recognised, and nothing shows it.
CREATE TABLE threads (
    id INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    thread_type TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    author_id BIGINT REFERENCES people (id),
    anonymous BIGINT NOT NULL DEFAULT 0,
    asker_salt TEXT,
    asker_digest TEXT,
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    revision BIGINT NOT NULL DEFAULT 1,
    last_activity_at BIGINT NOT NULL,
    reply_count BIGINT NOT NULL DEFAULT 0,
    first_response_at BIGINT,
    accepted_reply_id BIGINT,
    accepted_at BIGINT,
    hidden_at BIGINT
);
CREATE INDEX threads_community ON threads (community_id, last_activity_at);
CREATE INDEX threads_questions ON threads (community_id, thread_type, created_at);
CREATE INDEX threads_author ON threads (author_id);

CREATE TABLE thread_tags (
    thread_id BIGINT NOT NULL REFERENCES threads (id),
    tag TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (thread_id, tag)
);
CREATE INDEX thread_tags_tag ON thread_tags (tag, thread_id);

-- Replies are flat; one may quote another. The asker of an anonymous
-- question replies in its thread as "the asker" (anonymous, no author).
CREATE TABLE replies (
    id INTEGER PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES threads (id),
    author_id BIGINT REFERENCES people (id),
    anonymous BIGINT NOT NULL DEFAULT 0,
    body TEXT NOT NULL,
    quote_of BIGINT REFERENCES replies (id),
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    revision BIGINT NOT NULL DEFAULT 1,
    hidden_at BIGINT
);
CREATE INDEX replies_thread ON replies (thread_id, id);
CREATE INDEX replies_author ON replies (author_id);

-- Every version of every post; revision 1 is the post as first written.
CREATE TABLE post_revisions (
    id INTEGER PRIMARY KEY,
    thread_id BIGINT NOT NULL REFERENCES threads (id),
    reply_id BIGINT REFERENCES replies (id),
    revision BIGINT NOT NULL,
    editor_id BIGINT REFERENCES people (id),
    at BIGINT NOT NULL,
    title TEXT,
    body TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT ''
);
CREATE INDEX post_revisions_post ON post_revisions (thread_id, reply_id, revision);

-- Reactions to a post: reply_id 0 is the thread's opening post.
CREATE TABLE reactions (
    thread_id BIGINT NOT NULL REFERENCES threads (id),
    reply_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id),
    reaction TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (thread_id, reply_id, person_id, reaction)
);

-- Recognition from one person to another for a contribution.
CREATE TABLE kudos (
    id INTEGER PRIMARY KEY,
    from_id BIGINT NOT NULL REFERENCES people (id),
    to_id BIGINT NOT NULL REFERENCES people (id),
    thread_id BIGINT NOT NULL REFERENCES threads (id),
    reply_id BIGINT REFERENCES replies (id),
    note TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX kudos_to ON kudos (to_id, at);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    thread_id BIGINT NOT NULL REFERENCES threads (id),
    reply_id BIGINT REFERENCES replies (id),
    actor_id BIGINT REFERENCES people (id),
    at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_person ON notifications (person_id, id);

-- The full-text index: one row per visible post, the opening post of thread
-- t at rowid 2t and reply r at rowid 2r + 1.
CREATE VIRTUAL TABLE search_entries USING fts5 (
    title, tags, body,
    thread_id UNINDEXED,
    reply_id UNINDEXED,
    tokenize = 'porter unicode61'
);
