//! API operations for experiments.

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
