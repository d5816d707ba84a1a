-- A number for each occurrence something is built from (an artifact
-- promoted from its notes names it in artifacts.source_occurrence_id).
-- Occurrences are keyed by (series_id, recurrence_id), which a series change
-- may re-key; the number stays with the row. Given on first use, so
-- existing rows have none.
ALTER TABLE gathering_occurrences ADD COLUMN id BIGINT;
CREATE UNIQUE INDEX gathering_occurrences_id ON gathering_occurrences (id);
