//! Experiments: the collaborative-learning loop of hypothesis, owner, dates,
//! status (proposed, running, concluded, abandoned), result and learnings.
