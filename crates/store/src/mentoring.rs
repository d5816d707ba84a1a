//! Mentoring: what people can teach and want to learn, mentor capacity, proposals and pairs.
