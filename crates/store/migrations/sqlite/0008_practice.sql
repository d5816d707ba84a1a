-- The practice: artifacts (guides, patterns, checklists, decision records,
-- stories, tools, heuristics) with their revisions, owners, review intervals,
-- reuse, links and adoption by teams; and experiments. Instants are
-- milliseconds since the Unix epoch (UTC); calendar dates are ISO 8601 text
-- (YYYY-MM-DD).

-- An artifact is its current revision plus what is not revised: its owner,
-- when it was last confirmed still true, how often it is reused, and where it
-- came from (a thread, an accepted answer, an experiment, a gathering's notes).
CREATE TABLE artifacts (
    id INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    -- Markdown. For decision records the free text beside the sections.
    body TEXT NOT NULL,
    -- Decision records only: context, decision, consequences and status.
    context TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL DEFAULT '',
    consequences TEXT NOT NULL DEFAULT '',
    decision_status TEXT,
    -- 'draft' (promoted, not yet published) or 'published'.
    state TEXT NOT NULL DEFAULT 'published',
    owner_id BIGINT REFERENCES people (id),
    created_by BIGINT REFERENCES people (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1,
    review_days BIGINT NOT NULL,
    -- The latest of creation, revision and review: the freshness clock
    -- (METRICS.md fresh_share). Stale when now >= this + review_days.
    last_confirmed_at BIGINT NOT NULL,
    last_reviewed_at BIGINT,
    last_reviewed_by BIGINT REFERENCES people (id),
    reuse_count BIGINT NOT NULL DEFAULT 0,
    source_thread_id BIGINT REFERENCES threads (id),
    source_reply_id BIGINT REFERENCES replies (id),
    source_experiment_id BIGINT,
    source_occurrence_id BIGINT,
    archived_at BIGINT
);
CREATE INDEX artifacts_community ON artifacts (community_id, updated_at);
CREATE INDEX artifacts_owner ON artifacts (owner_id);
CREATE INDEX artifacts_freshness ON artifacts (community_id, last_confirmed_at);
CREATE INDEX artifacts_source_thread ON artifacts (source_thread_id);

CREATE TABLE artifact_tags (
    artifact_id BIGINT NOT NULL REFERENCES artifacts (id),
    tag TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (artifact_id, tag)
);
CREATE INDEX artifact_tags_tag ON artifact_tags (tag, artifact_id);

-- Every version; revision 1 is the artifact as first written. A restore is a
-- new revision that names the one it restored.
CREATE TABLE artifact_revisions (
    id INTEGER PRIMARY KEY,
    artifact_id BIGINT NOT NULL REFERENCES artifacts (id),
    revision BIGINT NOT NULL,
    author_id BIGINT REFERENCES people (id),
    at BIGINT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL DEFAULT '',
    consequences TEXT NOT NULL DEFAULT '',
    decision_status TEXT,
    tags TEXT NOT NULL DEFAULT '',
    review_days BIGINT NOT NULL,
    restored_from BIGINT,
    CONSTRAINT artifact_revisions_number_key UNIQUE (artifact_id, revision)
);

-- "Still true": each time an owner or steward confirmed the artifact.
CREATE TABLE artifact_reviews (
    id INTEGER PRIMARY KEY,
    artifact_id BIGINT NOT NULL REFERENCES artifacts (id),
    reviewer_id BIGINT REFERENCES people (id),
    at BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX artifact_reviews_artifact ON artifact_reviews (artifact_id, at);

-- "I used this": by whom, for which team (theirs at the time unless they
-- named another) and where (a project, a note).
CREATE TABLE artifact_reuses (
    id INTEGER PRIMARY KEY,
    artifact_id BIGINT NOT NULL REFERENCES artifacts (id),
    person_id BIGINT REFERENCES people (id),
    team TEXT,
    note TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL
);
CREATE INDEX artifact_reuses_artifact ON artifact_reuses (artifact_id, at);
CREATE INDEX artifact_reuses_person ON artifact_reuses (person_id);

-- Links from an artifact to another artifact or to a thread; each side shows
-- the other (backlinks).
CREATE TABLE artifact_links (
    id INTEGER PRIMARY KEY,
    from_artifact_id BIGINT NOT NULL REFERENCES artifacts (id),
    to_artifact_id BIGINT REFERENCES artifacts (id),
    to_thread_id BIGINT REFERENCES threads (id),
    created_by BIGINT REFERENCES people (id),
    at BIGINT NOT NULL,
    CONSTRAINT artifact_links_one_target CHECK (
        (to_artifact_id IS NULL) <> (to_thread_id IS NULL))
);
CREATE UNIQUE INDEX artifact_links_to_artifact ON artifact_links (from_artifact_id, to_artifact_id)
    WHERE to_artifact_id IS NOT NULL;
CREATE UNIQUE INDEX artifact_links_to_thread ON artifact_links (from_artifact_id, to_thread_id)
    WHERE to_thread_id IS NOT NULL;
CREATE INDEX artifact_links_back_artifact ON artifact_links (to_artifact_id);
CREATE INDEX artifact_links_back_thread ON artifact_links (to_thread_id);

-- Which teams adopted a practice artifact, and from when (the system of
-- influence across the organisation).
CREATE TABLE adoptions (
    id INTEGER PRIMARY KEY,
    artifact_id BIGINT NOT NULL REFERENCES artifacts (id),
    team_id BIGINT NOT NULL REFERENCES teams (id),
    adopted_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES people (id),
    recorded_at BIGINT NOT NULL,
    CONSTRAINT adoptions_team_key UNIQUE (artifact_id, team_id)
);
CREATE INDEX adoptions_team ON adoptions (team_id);

-- Experiments: the collaborative-learning loop.
CREATE TABLE experiments (
    id INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    title TEXT NOT NULL,
    hypothesis TEXT NOT NULL,
    owner_id BIGINT REFERENCES people (id),
    -- proposed, running, concluded or abandoned.
    status TEXT NOT NULL,
    starts_on TEXT,
    review_on TEXT,
    result TEXT NOT NULL DEFAULT '',
    learnings TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES people (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    started_at BIGINT,
    concluded_at BIGINT,
    -- The artifact a concluded experiment became.
    artifact_id BIGINT REFERENCES artifacts (id)
);
CREATE INDEX experiments_community ON experiments (community_id, status, updated_at);

-- The full-text index of published artifacts, at rowid = the artifact's id.
CREATE VIRTUAL TABLE artifact_search USING fts5 (
    title, tags, body,
    tokenize = 'porter unicode61'
);
