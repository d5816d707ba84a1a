//! Duplicate effort over the API: candidates, flagged pairs, decisions.

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
