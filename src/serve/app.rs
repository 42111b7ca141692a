//! The application: the routes and the layers every request passes through.

use std::sync::Arc;

use axum::http::header::{CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, StatusCode};
use axum::routing::get;
use axum::Router;
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use super::failure::Failure;
use super::limits::REQUEST_TIMEOUT;
use super::state::AppState;
use super::{api, assets, document, original, pages, security};

/// The routes, behind the security checks, the security headers and the request timeout.
pub(super) fn router(state: Arc<AppState>) -> Router {
    let layers = ServiceBuilder::new()
        // Outermost, so that every response carries them, refusals and timeouts included. The
        // original of an HTML or SVG document sets a stricter policy of its own, a sandbox.
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            security::CONTENT_SECURITY_POLICY,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            security::check_request,
        ));
    Router::new()
        .route("/", get(pages::search))
        .route("/search", get(pages::search))
        .route("/doc", get(document::document))
        .route("/file", get(original::original))
        .route("/api/search", get(api::search))
        .route("/api/status", get(api::status))
        .route("/assets/lantern.css", get(assets::lantern_css))
        .route("/assets/serve.css", get(assets::serve_css))
        .route("/assets/lantern.js", get(assets::lantern_js))
        .fallback(not_found)
        .layer(layers)
        .with_state(state)
}

/// Anything else: 404, as JSON under `/api/`.
async fn not_found(uri: axum::http::Uri) -> axum::response::Response {
    Failure::NotFound(format!("there is no page at {}", uri.path()))
        .respond(uri.path().starts_with("/api/"))
}
