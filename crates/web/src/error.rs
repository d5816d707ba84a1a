//! Errors of the web layer and their one mapping to HTTP: a status code from
//! a single table, rendered as JSON for the API and as a page for browsers.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use domain::Invalid;
use serde::Serialize;
use store::StoreError;
use utoipa::ToSchema;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// A field is missing or wrong.
    #[error("{0}")]
    Invalid(#[from] Invalid),
    /// The request could not be read (malformed JSON, wrong content type, ...).
    #[error("{message}")]
    BadRequest {
        /// Status to answer with (400, 413, 415, 422).
        status: StatusCode,
        /// What is wrong.
        message: String,
    },
    /// Not signed in, or the credentials are wrong.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in but not allowed (also a failed CSRF check).
    #[error("{0}")]
    Forbidden(String),
    /// No such thing, or not visible to the viewer.
    #[error("not found")]
    NotFound,
    /// A unique value is taken or the state does not allow the change.
    #[error("{message}")]
    Conflict {
        /// The field concerned.
        field: String,
        /// What clashes.
        message: String,
    },
    /// Too many attempts; try again after this many seconds.
    #[error("too many failed log-in attempts; try again in {0} seconds")]
    TooManyRequests(i64),
    /// Not ready yet (e.g. figures still being computed); try again shortly.
    #[error("{0}")]
    Unavailable(String),
    /// A fault on our side.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => WebError::NotFound,
            StoreError::Conflict { field, message } => WebError::Conflict {
                field: field.to_owned(),
                message,
            },
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(format!("template: {e}"))
    }
}

impl WebError {
    /// The status code for each kind of error: the one table.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::BadRequest { status, .. } => *status,
            WebError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Conflict { .. } => StatusCode::CONFLICT,
            WebError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The field at fault, if one is.
    pub fn field(&self) -> Option<&str> {
        match self {
            WebError::Invalid(i) => Some(&i.field),
            WebError::Conflict { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The message shown to people: never internal details.
    pub fn public_message(&self) -> String {
        match self {
            WebError::Internal(_) => "something went wrong on our side; it has been logged".into(),
            WebError::NotFound => "not found".into(),
            other => other.to_string(),
        }
    }

    fn log(&self) {
        if let WebError::Internal(detail) = self {
            tracing::error!(error = %detail, "request failed");
        }
    }

    fn retry_after(&self, response: &mut Response) {
        if matches!(self, WebError::Unavailable(_)) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        if let WebError::TooManyRequests(secs) = self
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
}

/// The JSON error body: `{"error": {"message": "...", "field": "..."}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A message a person can act on.
    pub message: String,
    /// The request field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An error answered as JSON (the API).
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        e.log();
        let body = ErrorBody {
            error: ErrorDetail {
                message: e.public_message(),
                field: e.field().map(str::to_owned),
            },
        };
        let mut response = (e.status(), axum::Json(body)).into_response();
        e.retry_after(&mut response);
        response
    }
}

/// An error answered as an HTML page (browsers).
#[derive(Debug)]
pub struct PageError(pub WebError);

impl<E: Into<WebError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        e.log();
        if matches!(e, WebError::Unauthorized(_)) {
            return axum::response::Redirect::to("/login").into_response();
        }
        let status = e.status();
        let page = crate::pages::error_page(status, &e.public_message());
        let mut response = (status, Html(page)).into_response();
        e.retry_after(&mut response);
        response
    }
}
