-- Duplicate effort across teams: what people decided about a pair of posts
-- (threads or artifacts) the finder flagged. 'link' links them: both pages
-- show "same problem as" the other. 'not_the_same' keeps the pair from
-- being flagged again. A pair is stored once, in canonical order (a before
-- b: threads before artifacts, then by id). The flags themselves are not
-- stored: the finder computes them from the posts.
CREATE TABLE duplicate_decisions (
    id INTEGER PRIMARY KEY,
    a_kind TEXT NOT NULL,
    a_id BIGINT NOT NULL,
    b_kind TEXT NOT NULL,
    b_id BIGINT NOT NULL,
    verdict TEXT NOT NULL,
    -- The shared terms that explained the pair when it was decided.
    shared TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES people (id),
    decided_at BIGINT NOT NULL,
    CONSTRAINT duplicate_decisions_pair_key UNIQUE (a_kind, a_id, b_kind, b_id)
);
CREATE INDEX duplicate_decisions_b ON duplicate_decisions (b_kind, b_id);
