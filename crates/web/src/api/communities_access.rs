//! Who may see and do what in a community, for the API and the pages alike.
//! The [`Seen`] extractor resolves the `{slug}` of a community route for the
//! signed-in viewer: a community that does not exist and a private one the
//! viewer does not belong to are the same 404, and the address of a
//! community merged into another redirects to its new home (when the viewer
//! may see that). Stewardship and writability checks live here too.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::community::{MemberRole, Visibility};
use store::communities::Community;

use crate::AppState;
use crate::auth::{CurrentUser, Member, PageMember, Visitor};
use crate::error::{ApiError, PageError, WebError};

/// Where community routes live: the API's and the pages'.
const PREFIXES: [&str; 2] = ["/api/v1/communities/", "/communities/"];

/// A community the signed-in viewer may see, with their role in it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The community.
    pub community: Community,
    /// The viewer's role, if they are a member.
    pub role: Option<MemberRole>,
    /// The viewer.
    pub user: Arc<CurrentUser>,
    /// The visitor, for CSRF checks and page chrome.
    pub visitor: Visitor,
}

impl Seen {
    /// The viewer's id.
    pub fn me(&self) -> i64 {
        self.user.person.id
    }

    /// Whether the viewer may steward: a steward, or an organisation admin.
    pub fn can_steward(&self) -> bool {
        self.role == Some(MemberRole::Steward) || self.user.is_admin()
    }

    /// Refuses viewers who may not steward this community.
    pub fn require_steward(&self) -> Result<(), WebError> {
        if self.can_steward() {
            Ok(())
        } else {
            Err(WebError::Forbidden(
                "only this community's stewards can do that".into(),
            ))
        }
    }
}

/// Whether `viewer` may see `c`: it is open, or they are a current member.
pub async fn may_see(state: &AppState, c: &Community, viewer: i64) -> Result<bool, WebError> {
    Ok(c.charter.visibility == Visibility::Open
        || state.store.role_in(c.id, viewer).await?.is_some())
}

/// Splits a community route into (prefix, slug, rest of the path).
fn split_path(path: &str) -> Option<(&'static str, &str, &str)> {
    PREFIXES.iter().find_map(|&prefix| {
        let tail = path.strip_prefix(prefix)?;
        let (slug, rest) = match tail.find('/') {
            Some(i) => tail.split_at(i),
            None => (tail, ""),
        };
        Some((prefix, slug, rest))
    })
}

fn refuse(api: bool, e: WebError) -> Response {
    if api {
        ApiError(e).into_response()
    } else {
        PageError(e).into_response()
    }
}

impl FromRequestParts<AppState> for Seen {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let api = parts.uri.path().starts_with("/api/");
        let (user, visitor) = if api {
            let Member(user) = Member::from_request_parts(parts, state)
                .await
                .map_err(IntoResponse::into_response)?;
            let visitor = Visitor::from_request_parts(parts, state)
                .await
                .map_err(IntoResponse::into_response)?;
            (user, visitor)
        } else {
            let m = PageMember::from_request_parts(parts, state)
                .await
                .map_err(IntoResponse::into_response)?;
            (m.user, m.visitor)
        };
        let path = parts.uri.path().to_owned();
        let Some((prefix, raw_slug, rest)) = split_path(&path) else {
            return Err(refuse(api, WebError::NotFound));
        };
        let slug = urlencoding::decode(raw_slug)
            .map(|s| s.into_owned())
            .unwrap_or_default();
        let me = user.person.id;
        let run = async {
            // An address no community could have (e.g. with a NUL byte) is simply not there.
            if domain::community::slug(&slug).as_deref() != Ok(slug.as_str()) {
                return Err(WebError::NotFound);
            }
            if let Some(home) = state.store.merged_home(&slug).await? {
                let target = state.store.community(home).await?;
                if !may_see(state, &target, me).await? {
                    return Err(WebError::NotFound);
                }
                return Ok(Err(target.slug));
            }
            let community = state
                .store
                .community_by_slug(&slug)
                .await?
                .ok_or(WebError::NotFound)?;
            let role = state.store.role_in(community.id, me).await?;
            if community.charter.visibility == Visibility::Private && role.is_none() {
                return Err(WebError::NotFound);
            }
            Ok(Ok((community, role)))
        };
        match run.await {
            Ok(Ok((community, role))) => Ok(Seen {
                community,
                role,
                user,
                visitor,
            }),
            Ok(Err(home)) => {
                let query = parts
                    .uri
                    .query()
                    .map(|q| format!("?{q}"))
                    .unwrap_or_default();
                let location = format!("{prefix}{home}{rest}{query}");
                let status = if matches!(parts.method, Method::GET | Method::HEAD) {
                    StatusCode::MOVED_PERMANENTLY
                } else {
                    StatusCode::PERMANENT_REDIRECT
                };
                Err((status, [(header::LOCATION, location)]).into_response())
            }
            Err(e) => Err(refuse(api, e)),
        }
    }
}

/// Refuses changes to an archived or merged community with a 409 naming it.
pub fn require_writable(c: &Community) -> Result<(), WebError> {
    if c.is_writable() {
        Ok(())
    } else {
        Err(WebError::Conflict {
            field: "community".into(),
            message:
                "this community is archived: everything is kept and readable, nothing can change"
                    .into(),
        })
    }
}

/// The community at `slug` if `viewer` may see it and it is not merged away;
/// otherwise a 422 on `field` that does not tell missing from private.
pub async fn visible_by_slug(
    state: &AppState,
    slug: &str,
    viewer: i64,
    field: &str,
) -> Result<Community, WebError> {
    let unknown = || {
        domain::Invalid::new(
            field,
            format!("there is no community at {slug:?} that you can see"),
        )
    };
    domain::community::slug(slug).map_err(|_| unknown())?;
    let c = state
        .store
        .community_by_slug(slug.trim())
        .await?
        .ok_or_else(unknown)?;
    if c.merged_into.is_some() || !may_see(state, &c, viewer).await? {
        return Err(unknown().into());
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn community_paths_split_into_prefix_slug_and_rest() {
        assert_eq!(
            super::split_path("/api/v1/communities/obs/members/3/role"),
            Some(("/api/v1/communities/", "obs", "/members/3/role"))
        );
        assert_eq!(
            super::split_path("/communities/obs"),
            Some(("/communities/", "obs", ""))
        );
        assert_eq!(super::split_path("/people/3"), None);
    }
}
