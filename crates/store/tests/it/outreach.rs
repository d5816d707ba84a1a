//! Outreach: scenarios.
