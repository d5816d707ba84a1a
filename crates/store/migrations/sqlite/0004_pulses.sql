-- Pulse surveys. Who answered and what was answered are kept apart: the
-- respondents table stops a second answer, the answers table holds values
-- under random ids with no person and no time, so neither order nor time
-- links an answer to a respondent.
CREATE TABLE pulses (
    id INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    question TEXT NOT NULL,
    opened_by BIGINT NOT NULL REFERENCES people (id),
    opened_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX pulses_community ON pulses (community_id, opened_at);

CREATE TABLE pulse_respondents (
    pulse_id BIGINT NOT NULL REFERENCES pulses (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    PRIMARY KEY (pulse_id, person_id)
);

CREATE TABLE pulse_answers (
    id TEXT PRIMARY KEY,
    pulse_id BIGINT NOT NULL REFERENCES pulses (id),
    value BIGINT NOT NULL,
    comment TEXT
);
CREATE INDEX pulse_answers_pulse ON pulse_answers (pulse_id);
