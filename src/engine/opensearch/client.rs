//! A blocking HTTP(S) client for one OpenSearch index: JSON in, JSON out, typed errors, and
//! retries with exponential back-off when the cluster says it is busy (429, 503) or a node
//! drops the connection. The `Authorization` header is set here and nowhere else, and no error
//! message quotes it.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use serde_json::Value;

use super::target::{Credentials, Target};
use super::OpenSearchError;

/// How many times a busy or dropped request is sent in all.
const ATTEMPTS: u32 = 8;
/// The first pause before a retry; it doubles each time (0.1 s, 0.2 s ... 6.4 s).
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A connection to one index of a cluster.
pub struct Client {
    agent: ureq::Agent,
    cluster: String,
    index: String,
    authorization: Option<String>,
}

impl Client {
    /// A client for `target`, trusting the system's certificates or `target.ca`.
    pub fn new(target: &Target) -> Result<Client, OpenSearchError> {
        let mut builder = ureq::AgentBuilder::new().timeout(TIMEOUT);
        if let Some(ca) = &target.ca {
            builder = builder.tls_config(Arc::new(private_ca_config(ca)?));
        }
        let authorization = target
            .credentials
            .as_ref()
            .map(|credentials| match credentials {
                Credentials::Basic { user, password } => format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
                ),
                Credentials::ApiKey(key) => format!("ApiKey {key}"),
            });
        Ok(Client {
            agent: builder.build(),
            cluster: target.cluster.clone(),
            index: target.index.clone(),
            authorization,
        })
    }

    /// The index name.
    pub fn index(&self) -> &str {
        &self.index
    }

    /// Sends `method path` (a path under the index, e.g. `/_search`, or from the cluster root
    /// when it starts with `//`) with `body`, and returns the status and JSON answer. A 404 is
    /// returned, not an error, for the caller to decide; other failures are errors.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        content_type: &str,
    ) -> Result<(u16, Value), OpenSearchError> {
        let url = match path.strip_prefix("//") {
            Some(root) => format!("{}/{root}", self.cluster),
            None => format!("{}/{}{path}", self.cluster, self.index),
        };
        let request_name = format!("{method} {}", url.trim_start_matches(&self.cluster));
        let mut pause = FIRST_BACKOFF;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = self
                .agent
                .request(method, &url)
                .set("Content-Type", content_type)
                .set("Accept", "application/json");
            if let Some(authorization) = &self.authorization {
                request = request.set("Authorization", authorization);
            }
            let outcome = match body {
                Some(body) => request.send_string(body),
                None => request.call(),
            };
            let (status, response) = match outcome {
                Ok(response) => (response.status(), response),
                Err(ureq::Error::Status(status, response)) => (status, response),
                Err(ureq::Error::Transport(transport)) => {
                    if attempt < ATTEMPTS && is_dropped(&transport) {
                        std::thread::sleep(pause);
                        pause *= 2;
                        continue;
                    }
                    return Err(OpenSearchError::Unreachable {
                        url: self.cluster.clone(),
                        reason: transport.to_string(),
                    });
                }
            };
            if matches!(status, 429 | 502 | 503 | 504) && attempt < ATTEMPTS {
                std::thread::sleep(pause);
                pause *= 2;
                continue;
            }
            let text = response
                .into_string()
                .map_err(|err| OpenSearchError::BadAnswer {
                    request: request_name.clone(),
                    reason: err.to_string(),
                })?;
            let json: Value = if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).map_err(|err| OpenSearchError::BadAnswer {
                    request: request_name.clone(),
                    reason: err.to_string(),
                })?
            };
            return match status {
                200..=299 | 404 => Ok((status, json)),
                401 | 403 => Err(OpenSearchError::Unauthorized {
                    url: self.cluster.clone(),
                    status,
                }),
                _ => Err(OpenSearchError::Refused {
                    request: request_name,
                    status,
                    reason: error_reason(&json),
                }),
            };
        }
    }

    /// Sends a JSON request and fails on 404, naming the missing index, and on an answer some
    /// shards failed to give (`_shards.failed`): a search on a cluster that lost a primary shard
    /// answers from the others, and its hits and total would be silently short.
    pub fn json(&self, method: &str, path: &str, body: &Value) -> Result<Value, OpenSearchError> {
        let answer = self.json_partial(method, path, body)?;
        check_shards(&format!("{method} {path}"), &answer)?;
        Ok(answer)
    }

    /// [`Client::json`] accepting an answer from some shards only, for a caller that says so
    /// itself (the status names a red cluster).
    pub fn json_partial(
        &self,
        method: &str,
        path: &str,
        body: &Value,
    ) -> Result<Value, OpenSearchError> {
        match self.send(method, path, Some(&body.to_string()), "application/json")? {
            (404, json) => Err(self.not_found(json)),
            (_, json) => Ok(json),
        }
    }

    /// The error a 404 answer stands for.
    pub fn not_found(&self, json: Value) -> OpenSearchError {
        if error_type(&json) == "index_not_found_exception" {
            OpenSearchError::MissingIndex {
                index: self.index.clone(),
            }
        } else {
            OpenSearchError::Refused {
                request: self.index.clone(),
                status: 404,
                reason: error_reason(&json),
            }
        }
    }
}

/// Refuses an answer in which some shards failed (`_shards.failed` above 0). Shards that are
/// merely unassigned replicas do not count: only copies that were asked and did not answer.
fn check_shards(request: &str, answer: &Value) -> Result<(), OpenSearchError> {
    let failed = answer
        .pointer("/_shards/failed")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    if failed == 0 {
        return Ok(());
    }
    let total = answer
        .pointer("/_shards/total")
        .and_then(Value::as_u64)
        .unwrap_or(failed);
    let reason = answer
        .pointer("/_shards/failures/0/reason")
        .map(|reason| {
            reason["reason"]
                .as_str()
                .or_else(|| reason["type"].as_str())
                .map_or_else(|| reason.to_string(), str::to_string)
        })
        .unwrap_or_else(|| "no reason given".to_string());
    Err(OpenSearchError::PartialAnswer {
        request: request.to_string(),
        answered: total.saturating_sub(failed),
        total,
        reason,
    })
}

/// True when a transport error may pass if tried again: a node closed the connection or
/// restarted. A refused connection is not retried: the cluster is down, say so at once.
fn is_dropped(transport: &ureq::Transport) -> bool {
    matches!(transport.kind(), ureq::ErrorKind::Io)
}

/// The engine's `error.type`, or "".
pub fn error_type(json: &Value) -> &str {
    json.pointer("/error/type")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The engine's reason for an error, from its error body.
pub fn error_reason(json: &Value) -> String {
    json.pointer("/error/reason")
        .and_then(Value::as_str)
        .or_else(|| json.get("error").and_then(Value::as_str))
        .map_or_else(|| json.to_string(), str::to_string)
}

/// A TLS configuration trusting the certificates of the PEM file `ca` only.
fn private_ca_config(ca: &std::path::Path) -> Result<rustls::ClientConfig, OpenSearchError> {
    let bad = |reason: String| OpenSearchError::BadFile {
        what: "the CA certificates",
        path: ca.display().to_string(),
        reason,
    };
    let mut roots = rustls::RootCertStore::empty();
    let certificates = CertificateDer::pem_file_iter(ca).map_err(|err| bad(err.to_string()))?;
    for certificate in certificates {
        let certificate = certificate.map_err(|err| bad(err.to_string()))?;
        roots.add(certificate).map_err(|err| bad(err.to_string()))?;
    }
    if roots.is_empty() {
        return Err(bad("it holds no PEM certificate".to_string()));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| bad(err.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}
