//! Guildhall's web layer: server-rendered pages, the JSON API under `/api/v1`
//! with its OpenAPI document, authentication, and the operational endpoints
//! (`/healthz`, `/metrics`). Handlers stay thin: extract, authorise, call the
//! store or a domain rule, render.

pub mod accounts;
pub mod api;
pub mod artifact_service;
pub mod auth;
pub mod cursor;
pub mod directory;
pub mod duplicate_service;
pub mod error;
pub mod experiment_service;
pub mod expertise_service;
pub mod extract;
pub mod gathering_service;
pub mod health_view;
pub mod ical;
pub mod markdown;
pub mod mentoring_service;
pub mod outreach;
pub mod pages;
pub mod pulse_service;
pub mod shared_space;
pub mod telemetry;
pub mod thread_cache;
pub mod thread_feed;
pub mod vitality;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get};
use axum::{Json, Router};
use domain::Clock;
use store::Store;
use tokio::net::TcpListener;

pub use error::WebError;

/// Largest request body accepted, in bytes.
pub const BODY_LIMIT: usize = 256 * 1024;

/// Settings the web layer needs from the configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Whether anyone may sign up, or only people an admin creates.
    pub open_signup: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            open_signup: true,
        }
    }
}

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The source of "now".
    pub clock: Arc<dyn Clock>,
    /// Web settings.
    pub config: Arc<WebConfig>,
    /// Precomputed community health.
    pub health: vitality::HealthBoard,
    /// Threads as everyone sees them, by version.
    pub threads: thread_cache::ThreadCache,
    /// The duplicate finder's corpus.
    pub duplicates: duplicate_service::DuplicateBoard,
    /// Mail, webhooks and the server's public address.
    pub outreach: outreach::Outreach,
    /// Suggested answerers of questions, reused briefly while unchanged.
    pub answerers: expertise_service::SuggestionCache,
}

impl AppState {
    /// A new state over `store`, telling time by `clock`.
    pub fn new(store: Store, clock: Arc<dyn Clock>, config: WebConfig) -> Self {
        Self {
            store,
            clock,
            config: Arc::new(config),
            health: vitality::HealthBoard::default(),
            threads: thread_cache::ThreadCache::default(),
            duplicates: duplicate_service::DuplicateBoard::default(),
            outreach: outreach::Outreach::default(),
            answerers: expertise_service::SuggestionCache::default(),
        }
    }
}

/// The whole application: pages, API, static files and operations endpoints.
pub fn app(state: AppState) -> Router {
    let (api, doc) = api::router().split_for_parts();
    let doc = Arc::new(doc);
    let router = Router::new()
        .route(
            "/api/v1/openapi.json",
            get(move || async move { Json(doc.as_ref().clone()) }),
        )
        .route("/api/{*rest}", any(api_not_found))
        .route("/communities/{slug}/threads.atom", get(thread_feed::feed))
        .merge(pages::router())
        .merge(api)
        .merge(telemetry::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::visitor_layer,
        ))
        .layer(axum::middleware::from_fn(refuse_large_bodies))
        .layer(DefaultBodyLimit::max(BODY_LIMIT));
    telemetry::instrument(router).with_state(state)
}

/// Refuses a declared body over [`BODY_LIMIT`] before anything reads it, on
/// every route (bodies without a length are cut off as they are read).
async fn refuse_large_bodies(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        let e = WebError::BadRequest {
            status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            message: format!("the body is larger than the limit of {BODY_LIMIT} bytes"),
        };
        return if request.uri().path().starts_with("/api/") {
            error::ApiError(e).into_response()
        } else {
            error::PageError(e).into_response()
        };
    }
    next.run(request).await
}

async fn api_not_found() -> error::ApiError {
    error::ApiError(WebError::NotFound)
}

/// Serves the application on `listener` until `shutdown` resolves, then
/// finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    telemetry::install_recorder();
    vitality::HealthBoard::spawn_refresher(state.clone());
    outreach::spawn_workers(state.clone());
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
