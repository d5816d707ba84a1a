//! Communities over the API, as far as the foundation has them: the list a
//! member may see.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::schema::CommunityOut;
use crate::AppState;
use crate::auth::Member;
use crate::error::{ApiError, ErrorBody};

/// The communities you can see: every open one and the private ones you belong to.
#[utoipa::path(get, path = "/api/v1/communities", tag = "communities",
    responses(
        (status = 200, body = [CommunityOut]),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
async fn list(
    State(state): State<AppState>,
    Member(user): Member,
) -> Result<Json<Vec<CommunityOut>>, ApiError> {
    Ok(Json(
        state
            .store
            .visible_communities(Some(user.person.id))
            .await?
            .into_iter()
            .map(CommunityOut::from)
            .collect(),
    ))
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}
