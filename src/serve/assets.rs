//! The page's style sheets and script, compiled into the binary and served by Lantern itself
//! (the Content-Security-Policy allows nothing else).

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

/// The look shared with `lantern search --format html`, which inlines it.
const LANTERN_CSS: &str = include_str!("../../templates/lantern.css");
/// What only the served pages need (search form, paging, document lines).
const SERVE_CSS: &str = include_str!("../../templates/serve.css");
/// Search as you type, keyboard navigation, match navigation.
const LANTERN_JS: &str = include_str!("../../templates/lantern.js");

/// Asset headers: the type, and revalidation (a new binary may serve new assets).
fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [(CONTENT_TYPE, content_type), (CACHE_CONTROL, "no-cache")],
        body,
    )
}

/// `/assets/lantern.css`
pub(super) async fn lantern_css() -> impl IntoResponse {
    asset("text/css; charset=utf-8", LANTERN_CSS)
}

/// `/assets/serve.css`
pub(super) async fn serve_css() -> impl IntoResponse {
    asset("text/css; charset=utf-8", SERVE_CSS)
}

/// `/assets/lantern.js`
pub(super) async fn lantern_js() -> impl IntoResponse {
    asset("text/javascript; charset=utf-8", LANTERN_JS)
}
