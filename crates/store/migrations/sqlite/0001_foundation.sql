-- Foundation: teams, people and profiles, sessions, tokens, log-in limits,
-- communities with membership history, and the activity log.
-- Instants are milliseconds since the Unix epoch (UTC).

CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT teams_name_key UNIQUE (name)
);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    team_id BIGINT REFERENCES teams (id),
    location TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    work_start BIGINT NOT NULL DEFAULT 480,
    work_end BIGINT NOT NULL DEFAULT 1080,
    bio TEXT NOT NULL DEFAULT '',
    org_role TEXT NOT NULL DEFAULT 'member',
    password_hash TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT people_email_key UNIQUE (email)
);
CREATE INDEX people_team ON people (team_id);
CREATE INDEX people_name ON people (display_name, id);

CREATE TABLE person_skills (
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (person_id, name)
);
CREATE INDEX person_skills_name ON person_skills (name);

CREATE TABLE person_topics (
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    list TEXT NOT NULL,
    topic TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (person_id, list, topic)
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    prefix TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT,
    CONSTRAINT api_tokens_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_tokens_person ON api_tokens (person_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE communities (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    domain_question TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT '',
    community_type TEXT NOT NULL,
    orientation TEXT NOT NULL,
    visibility TEXT NOT NULL,
    stage TEXT NOT NULL DEFAULT 'potential',
    created_by BIGINT REFERENCES people (id),
    created_at BIGINT NOT NULL,
    CONSTRAINT communities_slug_key UNIQUE (slug)
);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    role TEXT NOT NULL,
    joined_at BIGINT NOT NULL,
    left_at BIGINT
);
CREATE INDEX memberships_community ON memberships (community_id, left_at);
CREATE INDEX memberships_person ON memberships (person_id, left_at);

CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    actor_id BIGINT REFERENCES people (id),
    kind TEXT NOT NULL,
    subject TEXT,
    reply_to BIGINT REFERENCES people (id),
    team TEXT,
    reply_to_team TEXT,
    thread_type TEXT,
    response TEXT,
    value BIGINT,
    review_days BIGINT
);
CREATE INDEX activity_community_at ON activity (community_id, at);
