-- Gatherings: series (a recurrence rule in an IANA zone from a local start),
-- the occurrences something is known about (cancelled, moved, agenda, notes,
-- recording, who facilitated and when it was held), RSVPs to one occurrence
-- or to a whole series, attendance, facilitation volunteers and their
-- declines, and calendar feed tokens (SHA-256 digests, revocable).
-- Occurrences are named by their recurrence id: the instant the rule
-- scheduled them for, in milliseconds since the Unix epoch (UTC).

CREATE TABLE gathering_series (
    id INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    title TEXT NOT NULL,
    format TEXT NOT NULL,
    rrule TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    local_start TEXT NOT NULL,
    first_start BIGINT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    agenda TEXT NOT NULL DEFAULT '',
    capacity BIGINT,
    rotate BIGINT NOT NULL DEFAULT 0,
    split_from BIGINT REFERENCES gathering_series (id),
    created_by BIGINT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX gathering_series_community ON gathering_series (community_id, first_start);

CREATE TABLE gathering_occurrences (
    series_id BIGINT NOT NULL REFERENCES gathering_series (id),
    recurrence_id BIGINT NOT NULL,
    cancelled BIGINT NOT NULL DEFAULT 0,
    moved_start BIGINT,
    moved_minutes BIGINT,
    agenda TEXT,
    notes TEXT NOT NULL DEFAULT '',
    recording_url TEXT NOT NULL DEFAULT '',
    facilitator_id BIGINT REFERENCES people (id),
    held_at BIGINT,
    PRIMARY KEY (series_id, recurrence_id)
);
CREATE INDEX gathering_occurrences_facilitator ON gathering_occurrences (facilitator_id, held_at);

CREATE TABLE gathering_rsvps (
    series_id BIGINT NOT NULL REFERENCES gathering_series (id),
    recurrence_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id),
    response TEXT NOT NULL,
    responded_at BIGINT NOT NULL,
    PRIMARY KEY (series_id, recurrence_id, person_id)
);

CREATE TABLE gathering_series_rsvps (
    series_id BIGINT NOT NULL REFERENCES gathering_series (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    response TEXT NOT NULL,
    responded_at BIGINT NOT NULL,
    PRIMARY KEY (series_id, person_id)
);

CREATE TABLE gathering_attendance (
    series_id BIGINT NOT NULL REFERENCES gathering_series (id),
    recurrence_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id),
    recorded_by BIGINT NOT NULL REFERENCES people (id),
    at BIGINT NOT NULL,
    PRIMARY KEY (series_id, recurrence_id, person_id)
);

CREATE TABLE gathering_volunteers (
    series_id BIGINT NOT NULL REFERENCES gathering_series (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    since BIGINT NOT NULL,
    PRIMARY KEY (series_id, person_id)
);

CREATE TABLE gathering_declines (
    series_id BIGINT NOT NULL REFERENCES gathering_series (id),
    recurrence_id BIGINT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id),
    PRIMARY KEY (series_id, recurrence_id, person_id)
);

CREATE TABLE feed_tokens (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    community_id BIGINT REFERENCES communities (id),
    token_hash TEXT NOT NULL,
    prefix TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    CONSTRAINT feed_tokens_hash_key UNIQUE (token_hash)
);
CREATE INDEX feed_tokens_person ON feed_tokens (person_id);
