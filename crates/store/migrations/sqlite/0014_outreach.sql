-- Outreach: the weekly digest (who opted out of its e-mail, when each
-- member's last digest went) and outgoing webhooks (per community, signed
-- with a per-webhook secret) with their delivery log. Deliveries are queued
-- by a worker that follows the activity log and the gathering series by
-- persisted cursors. Instants are milliseconds since the Unix epoch (UTC).

CREATE TABLE digest_preferences (
    person_id BIGINT PRIMARY KEY REFERENCES people (id),
    -- 1 when the member does not want the digest by e-mail.
    email_off BIGINT NOT NULL DEFAULT 0,
    -- When their last digest was e-mailed (or found empty): the next one
    -- covers what happened since, and is due a week later.
    last_sent_at BIGINT
);

-- A steward's webhook. The secret signs every delivery (HMAC-SHA256), so it
-- is kept as written, unlike passwords and tokens, and shown to stewards only.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities (id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    -- Comma-separated event names it receives.
    events TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    active BIGINT NOT NULL DEFAULT 1,
    -- Only what happened after it was made: the activity log's and the
    -- gathering series' positions then.
    after_activity BIGINT NOT NULL,
    after_series BIGINT NOT NULL,
    created_by BIGINT REFERENCES people (id),
    created_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX webhooks_community ON webhooks (community_id, removed_at);

-- One delivery per webhook and source (an activity event or a new series),
-- with its payload as first written; retried with backoff until delivered
-- or out of attempts.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id),
    -- 'activity' (an activity id) or 'series' (a gathering series id).
    source_kind TEXT NOT NULL,
    source_id BIGINT NOT NULL,
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- 'pending', 'delivered' or 'failed'.
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT,
    last_attempt_at BIGINT,
    response_code BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT,
    CONSTRAINT webhook_deliveries_source_key UNIQUE (webhook_id, source_kind, source_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);

-- How far the delivery worker has read each source.
CREATE TABLE outreach_cursors (
    name TEXT PRIMARY KEY,
    position BIGINT NOT NULL
);
