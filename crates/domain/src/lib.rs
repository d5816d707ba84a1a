//! Guildhall's pure domain: the vocabulary of communities of practice as types
//! and rules. No I/O, no async, no SQL: everything here takes values and
//! returns values, so it is tested without a database.

pub mod charter;
pub mod clock;
pub mod community;
pub mod duplicates;
pub mod experiment;
pub mod expertise;
pub mod gathering;
pub mod imported;
pub mod influence;
pub mod invalid;
pub mod membership;
pub mod mentoring;
pub mod overlap;
pub mod person;
pub mod practice;
pub mod pulse;
pub mod thread;

pub use clock::{Clock, SettableClock, SystemClock};
pub use invalid::Invalid;
