-- Communities in full: the rest of the charter, the lifecycle (archived,
-- merged into another, split from another), charter revisions kept whole,
-- requests and invitations, and a history of the changes that have no
-- activity event of their own (roles, charter, lifecycle).
-- Instants are milliseconds since the Unix epoch (UTC).

ALTER TABLE communities ADD COLUMN in_scope TEXT NOT NULL DEFAULT '';
ALTER TABLE communities ADD COLUMN out_of_scope TEXT NOT NULL DEFAULT '';
ALTER TABLE communities ADD COLUMN org_goal TEXT NOT NULL DEFAULT '';
ALTER TABLE communities ADD COLUMN sponsor TEXT;
ALTER TABLE communities ADD COLUMN updated_at BIGINT;
ALTER TABLE communities ADD COLUMN archived_at BIGINT;
ALTER TABLE communities ADD COLUMN merged_into BIGINT REFERENCES communities (id);
ALTER TABLE communities ADD COLUMN split_from BIGINT REFERENCES communities (id);
CREATE INDEX communities_merged_into ON communities (merged_into);
CREATE INDEX communities_split_from ON communities (split_from);
CREATE INDEX activity_community_actor ON activity (community_id, actor_id, at);

-- Every version of every charter; revision 1 is the charter it was proposed with.
CREATE TABLE charter_revisions (
    id INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    revision BIGINT NOT NULL,
    editor_id BIGINT REFERENCES people (id),
    at BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    domain_question TEXT NOT NULL,
    in_scope TEXT NOT NULL,
    out_of_scope TEXT NOT NULL,
    purpose TEXT NOT NULL,
    org_goal TEXT NOT NULL,
    community_type TEXT NOT NULL,
    orientation TEXT NOT NULL,
    visibility TEXT NOT NULL,
    sponsor TEXT,
    CONSTRAINT charter_revisions_number_key UNIQUE (community_id, revision)
);

-- Requests to join (private communities) and invitations by stewards.
CREATE TABLE membership_requests (
    id INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    asked_by BIGINT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'pending',
    decided_by BIGINT REFERENCES people (id),
    decided_at BIGINT
);
CREATE INDEX membership_requests_community ON membership_requests (community_id, outcome);
CREATE INDEX membership_requests_person ON membership_requests (person_id, outcome);

-- Role changes, charter revisions, requests and lifecycle changes, in order.
CREATE TABLE community_history (
    id INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    at BIGINT NOT NULL,
    actor_id BIGINT REFERENCES people (id),
    kind TEXT NOT NULL,
    person_id BIGINT REFERENCES people (id),
    other_community_id BIGINT REFERENCES communities (id),
    detail TEXT NOT NULL DEFAULT '',
    -- The actor's team at the time, as the activity log stamps it.
    team TEXT
);
CREATE INDEX community_history_community ON community_history (community_id, at);

-- Communities proposed before this migration get their charter as revision 1.
INSERT INTO charter_revisions (community_id, revision, editor_id, at, name, domain_question,
    in_scope, out_of_scope, purpose, org_goal, community_type, orientation, visibility, sponsor)
SELECT id, 1, created_by, created_at, name, domain_question, '', '', purpose, '',
    community_type, orientation, visibility, NULL FROM communities;
INSERT INTO community_history (community_id, at, actor_id, kind, detail)
SELECT id, created_at, created_by, 'created', name FROM communities;
