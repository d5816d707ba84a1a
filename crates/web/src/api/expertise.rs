//! Who knows what over the API: the expertise directory, a person's expertise, suggested answerers.

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
