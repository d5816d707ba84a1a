//! Mentoring in the browser: what one teaches and wants to learn, proposals to accept or decline, pairs.

use axum::Router;

use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
}
