//! The practice: artifact kinds (guide, pattern, checklist, decision record,
//! story, tool, heuristic), their default review intervals and the rules for
//! what an artifact holds.
