//! Which cluster and index `--engine URL` names, and the credentials and certificates to reach
//! it: from the environment or a file, never from the command line (a URL's `user:password@` is
//! refused), so they show in no process list and no log.

use std::fmt;
use std::path::PathBuf;

use super::OpenSearchError;

/// Basic-auth user, with `LANTERN_ENGINE_PASSWORD`.
pub const USER_VARIABLE: &str = "LANTERN_ENGINE_USER";
/// Basic-auth password, with `LANTERN_ENGINE_USER`.
pub const PASSWORD_VARIABLE: &str = "LANTERN_ENGINE_PASSWORD";
/// An API key, sent as `Authorization: ApiKey KEY`.
pub const API_KEY_VARIABLE: &str = "LANTERN_ENGINE_API_KEY";
/// A file whose first line is `USER:PASSWORD`, or `ApiKey KEY`.
pub const CREDENTIALS_VARIABLE: &str = "LANTERN_ENGINE_CREDENTIALS";
/// A PEM file of the CA certificates to trust instead of the system's, for a private CA.
pub const CA_VARIABLE: &str = "LANTERN_ENGINE_CA";

/// How to authenticate to the cluster. `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// HTTP basic authentication.
    Basic {
        /// The user name.
        user: String,
        /// The password.
        password: String,
    },
    /// `Authorization: ApiKey KEY` (Elasticsearch's encoded API key, or a proxy's).
    ApiKey(String),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Basic { user, .. } => write!(f, "Basic({user}, <hidden>)"),
            Credentials::ApiKey(_) => write!(f, "ApiKey(<hidden>)"),
        }
    }
}

/// An OpenSearch index and how to reach it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The cluster's URL, `http(s)://HOST[:PORT]`, no trailing slash.
    pub cluster: String,
    /// The index name.
    pub index: String,
    /// Credentials, if any.
    pub credentials: Option<Credentials>,
    /// CA certificates to trust instead of the system's.
    pub ca: Option<PathBuf>,
}

impl Target {
    /// The target `url` names, with credentials and CA from the environment.
    pub fn from_env(url: &str) -> Result<Target, OpenSearchError> {
        let var = |name| {
            std::env::var(name)
                .ok()
                .filter(|value: &String| !value.is_empty())
        };
        let credentials = match (
            var(USER_VARIABLE),
            var(API_KEY_VARIABLE),
            var(CREDENTIALS_VARIABLE),
        ) {
            (Some(user), _, _) => Some(Credentials::Basic {
                user,
                password: var(PASSWORD_VARIABLE).unwrap_or_default(),
            }),
            (None, Some(key), _) => Some(Credentials::ApiKey(key)),
            (None, None, Some(file)) => Some(read_credentials(&file)?),
            (None, None, None) => None,
        };
        let mut target = Target::parse(url)?;
        target.credentials = credentials;
        target.ca = var(CA_VARIABLE).map(PathBuf::from);
        Ok(target)
    }

    /// Splits `url` into cluster and index, refusing credentials in it.
    pub fn parse(url: &str) -> Result<Target, OpenSearchError> {
        let bad = |shown: &str, reason: &str| OpenSearchError::BadUrl {
            url: shown.to_string(),
            reason: reason.to_string(),
        };
        let (scheme, rest) = url
            .split_once("://")
            .filter(|(scheme, _)| matches!(*scheme, "http" | "https"))
            .ok_or_else(|| bad(url, "it must start with http:// or https://"))?;
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        if let Some((_, host)) = authority.rsplit_once('@') {
            // Never echo the user information back: it may hold a password.
            return Err(bad(
                &format!("{scheme}://…@{host}/{path}"),
                "credentials do not belong on the command line; set LANTERN_ENGINE_USER and LANTERN_ENGINE_PASSWORD, LANTERN_ENGINE_API_KEY or LANTERN_ENGINE_CREDENTIALS",
            ));
        }
        if authority.is_empty() {
            return Err(bad(url, "it names no host"));
        }
        let index = path.trim_end_matches('/');
        check_index_name(index).map_err(|reason| bad(url, &reason))?;
        Ok(Target {
            cluster: format!("{scheme}://{authority}"),
            index: index.to_string(),
            credentials: None,
            ca: None,
        })
    }
}

/// OpenSearch's rules for an index name, checked here so the message names the URL.
fn check_index_name(index: &str) -> Result<(), String> {
    if index.is_empty() {
        return Err("it names no index (add /INDEX after the host)".to_string());
    }
    if index.contains('/') {
        return Err(format!("'{index}' is not one index name"));
    }
    if index.starts_with(['-', '_', '+']) || index == "." || index == ".." {
        return Err(format!(
            "the index name '{index}' cannot start with -, _ or +"
        ));
    }
    if let Some(bad) = index
        .chars()
        .find(|c| c.is_uppercase() || "\\*?\"<>| ,#:".contains(*c))
    {
        return Err(format!(
            "the index name '{index}' cannot hold '{bad}' (lower case, no \\ * ? \" < > | , # : or spaces)"
        ));
    }
    if index.len() > 255 {
        return Err("the index name is longer than 255 bytes".to_string());
    }
    Ok(())
}

/// Reads the credentials file at `path`: its first line is `USER:PASSWORD` or `ApiKey KEY`.
fn read_credentials(path: &str) -> Result<Credentials, OpenSearchError> {
    let bad = |reason: String| OpenSearchError::BadFile {
        what: "the credentials file",
        path: path.to_string(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|err| bad(err.to_string()))?;
    let line = text.lines().next().unwrap_or_default().trim();
    if let Some(key) = line.strip_prefix("ApiKey ") {
        return Ok(Credentials::ApiKey(key.trim().to_string()));
    }
    match line.split_once(':') {
        Some((user, password)) if !user.is_empty() => Ok(Credentials::Basic {
            user: user.to_string(),
            password: password.to_string(),
        }),
        _ => Err(bad(
            "its first line must be USER:PASSWORD or ApiKey KEY".to_string()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_cluster_and_index() {
        let target = Target::parse("https://search.example:9200/docs/").unwrap();
        assert_eq!(target.cluster, "https://search.example:9200");
        assert_eq!(target.index, "docs");
    }

    #[test]
    fn credentials_in_the_url_are_refused_without_being_echoed() {
        let err = Target::parse("http://alice:s3cret@localhost:9200/docs").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("credentials do not belong"), "{message}");
        assert!(
            !message.contains("s3cret") && !message.contains("alice"),
            "{message}"
        );
    }

    #[test]
    fn bad_urls_say_why() {
        for (url, why) in [
            ("localhost:9200/docs", "http:// or https://"),
            ("http://localhost:9200", "names no index"),
            ("http://localhost:9200/Docs", "cannot hold 'D'"),
            ("http://localhost:9200/a/b", "not one index name"),
            ("http://localhost:9200/_all", "cannot start with"),
        ] {
            let message = Target::parse(url).unwrap_err().to_string();
            assert!(message.contains(why), "{url}: {message}");
        }
    }

    #[test]
    fn credentials_never_show_in_debug_output() {
        let basic = Credentials::Basic {
            user: "alice".into(),
            password: "s3cret".into(),
        };
        assert!(!format!("{basic:?}").contains("s3cret"));
        assert!(!format!("{:?}", Credentials::ApiKey("k3y".into())).contains("k3y"));
    }
}
