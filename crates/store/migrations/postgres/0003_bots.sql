-- Bots and system accounts (imported chat bots, mailer daemons, the Stack
-- Exchange "Community" user): their content is kept, but their events never
-- enter the activity log, so they count in no health figure.
ALTER TABLE people ADD COLUMN is_bot BIGINT NOT NULL DEFAULT 0;
