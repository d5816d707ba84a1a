//! Duplicate effort in the browser: flagged pairs with their shared terms, "link them" and "not the same".

use axum::Router;

use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
}
