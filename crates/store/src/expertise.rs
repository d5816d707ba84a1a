//! The evidence of who knows what: contributions by topic, declared skills, hidden inferred expertise and answer-suggestion opt-ins.
