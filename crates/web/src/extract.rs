//! Request extractors whose rejections speak our error format: JSON bodies,
//! query strings and paths for the API, forms for pages.

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;

use crate::error::{ApiError, PageError, WebError};

fn bad(status: StatusCode, message: String) -> WebError {
    WebError::BadRequest { status, message }
}

impl From<JsonRejection> for WebError {
    fn from(r: JsonRejection) -> Self {
        let status = r.status();
        if let JsonRejection::JsonDataError(e) = &r {
            return data_error(&e.body_text());
        }
        let message = match &r {
            JsonRejection::JsonSyntaxError(_) => "the body is not valid JSON".to_owned(),
            JsonRejection::MissingJsonContentType(_) => {
                "send the body as JSON with the header Content-Type: application/json".to_owned()
            }
            _ if status == StatusCode::PAYLOAD_TOO_LARGE => {
                format!("the body is larger than {} bytes", crate::BODY_LIMIT)
            }
            other => other.body_text(),
        };
        bad(status, message)
    }
}

/// Turns serde's account of a body that does not fit into an error naming the field.
fn data_error(text: &str) -> WebError {
    let text =
        text.trim_start_matches("Failed to deserialize the JSON body into the target type: ");
    let quoted = |marker: &str| {
        text.split_once(marker)
            .and_then(|(_, rest)| rest.split_once('`'))
            .map(|(name, _)| name.to_owned())
    };
    let (path, reason) = match text.split_once(": ") {
        Some((path, reason)) if !path.contains(' ') && path != "." => (path.to_owned(), reason),
        _ => (String::new(), text.trim_start_matches(".: ")),
    };
    let field = quoted("missing field `")
        .or_else(|| quoted("unknown field `"))
        .map(|name| {
            if path.is_empty() || path == name || path.ends_with(&format!(".{name}")) {
                if path.is_empty() { name } else { path.clone() }
            } else {
                format!("{path}.{name}")
            }
        })
        .unwrap_or(path);
    let reason = reason.split(" at line ").next().unwrap_or(reason);
    WebError::Invalid(domain::Invalid::new(
        if field.is_empty() {
            "body".to_owned()
        } else {
            field
        },
        reason,
    ))
}

impl From<QueryRejection> for WebError {
    fn from(r: QueryRejection) -> Self {
        bad(
            StatusCode::BAD_REQUEST,
            format!(
                "bad query string: {}",
                r.body_text()
                    .trim_start_matches("Failed to deserialize query string: ")
            ),
        )
    }
}

impl From<PathRejection> for WebError {
    fn from(r: PathRejection) -> Self {
        match r {
            PathRejection::FailedToDeserializePathParams(_) => WebError::NotFound,
            other => bad(other.status(), other.body_text()),
        }
    }
}

impl From<FormRejection> for WebError {
    fn from(r: FormRejection) -> Self {
        let status = r.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!("the form is larger than {} bytes", crate::BODY_LIMIT)
        } else {
            format!("the form could not be read: {}", r.body_text())
        };
        bad(status, message)
    }
}

/// A JSON body for the API.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// A query string for the API.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// Path parameters for the API.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// A submitted form for pages.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Form), rejection(PageError))]
pub struct PageForm<T>(pub T);

/// A query string for pages.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(PageError))]
pub struct PageQuery<T>(pub T);

/// Path parameters for pages.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(PageError))]
pub struct PagePath<T>(pub T);
