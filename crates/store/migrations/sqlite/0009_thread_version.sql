-- A thread's version: raised by every change to what its page shows (the
-- opening post, its tags, a reply, an acceptance, a reaction, a hidden post,
-- an author's name), so servers can keep a rendered thread until it changes.
ALTER TABLE threads ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
