//! Mentoring over the API: teaching and learning wishes, proposals, pairs, start here.

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
