//! The defences every request goes through: a bounded request target, a Host header that names
//! this server (so a web page on another name cannot reach it by DNS rebinding), and response
//! headers that forbid inline scripts and styles and content sniffing.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::HOST;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use super::failure::Failure;
use super::limits::MAX_URI_BYTES;
use super::state::AppState;

/// Only this server's own files, no inline script or style, no plugins, no framing, forms
/// only to itself.
pub(super) const CONTENT_SECURITY_POLICY: HeaderValue = HeaderValue::from_static(
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
);

/// Refuses requests with an overlong target (414) or a Host header that does not name this
/// server (403); passes the others on.
pub(super) async fn check_request(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let target_len = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    if target_len > MAX_URI_BYTES {
        return Failure::UriTooLong.respond(api);
    }
    let host = request
        .headers()
        .get(HOST)
        .and_then(|host| host.to_str().ok())
        .or_else(|| {
            request
                .uri()
                .authority()
                .map(|authority| authority.as_str())
        });
    match host {
        Some(host) if host_allowed(host, state.local) => next.run(request).await,
        Some(_) | None => Failure::Forbidden(format!(
            "this server answers only requests addressed to localhost:{port}, 127.0.0.1:{port}, [::1]:{port} or {local}",
            port = state.local.port(),
            local = state.local,
        ))
        .respond(api),
    }
}

/// True when `host` (a Host header: a name or IP literal, with an optional port) names the
/// server listening on `local`: the port must be its port (80 when absent), and the host
/// `localhost`, a loopback address, the bound address, or, when the server listens on every
/// address, any IP literal. Names other than `localhost` are refused: a page served under a
/// name its attacker controls could otherwise point that name at this machine.
fn host_allowed(host: &str, local: SocketAddr) -> bool {
    let (name, port) = split_host(host);
    let port = match port {
        None => 80,
        Some(port) => match port.parse::<u16>() {
            Ok(port) => port,
            Err(_) => return false,
        },
    };
    if port != local.port() {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == local.ip() || local.ip().is_unspecified(),
        Err(_) => false,
    }
}

/// A Host header's name (brackets of an IPv6 literal removed) and port, if any.
fn split_host(host: &str) -> (&str, Option<&str>) {
    if let Some(rest) = host.strip_prefix('[') {
        return match rest.split_once(']') {
            Some((name, "")) => (name, None),
            Some((name, port)) => (name, Some(port.strip_prefix(':').unwrap_or(port))),
            None => (host, None),
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host, None),
    }
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    #[test]
    fn only_hosts_naming_this_server_are_allowed() {
        let local = "127.0.0.1:7700".parse().expect("address");
        for good in [
            "localhost:7700",
            "LOCALHOST:7700",
            "127.0.0.1:7700",
            "[::1]:7700",
        ] {
            assert!(host_allowed(good, local), "{good}");
        }
        for bad in [
            "evil.example:7700",
            "localhost:7701",
            "localhost",
            "10.0.0.1:7700",
            "[::1]",
            "localhost:x",
            "127.0.0.1.nip.io:7700",
        ] {
            assert!(!host_allowed(bad, local), "{bad}");
        }
        let everywhere = "0.0.0.0:80".parse().expect("address");
        assert!(host_allowed("192.168.1.4", everywhere));
        assert!(!host_allowed("attacker.example", everywhere));
    }
}
