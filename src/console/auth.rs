//! Operators: argon2 password hashes, session cookies, CSRF tokens and the
//! login rate limit. Screen tokens are random 256-bit strings, so a plain
//! SHA-256 of them is enough to store; passwords are chosen by people and
//! get argon2id.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use base64::Engine as _;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// The longest login name (as `console add-user` allows).
pub const MAX_NAME_CHARS: usize = 64;

/// Password checks at once: argon2 takes ~20 MiB and a core's tens of
/// milliseconds each, so a burst of logins waits instead of taking memory.
pub const PARALLEL_VERIFICATIONS: usize = 2;

/// Whether a form post comes from the console's own pages: browsers send
/// `Sec-Fetch-Site` (and `Origin`) with every form post; another site's
/// page posting to the console (login CSRF) is refused.
pub fn same_origin(headers: &axum::http::HeaderMap) -> bool {
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if site.is_some_and(|s| s != "same-origin" && s != "none") {
        return false;
    }
    let origin = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok());
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some("null"), _) => false,
        (Some(origin), Some(host)) => origin.split_once("://").is_some_and(|(_, h)| h == host),
        _ => true,
    }
}

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "rankwall_session";

/// Failed logins allowed per user name, and per client address, within [`LOGIN_WINDOW`].
const MAX_FAILURES_PER_USER: u32 = 5;
const MAX_FAILURES_PER_PEER: u32 = 20;
const LOGIN_WINDOW: Duration = Duration::from_secs(300);

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
#[error("cannot hash the password: {0}")]
pub struct HashError(String);

/// The argon2id PHC string of `password`, with a random salt.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).ok().is_some_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash that no password matches, verified when the user does not exist
/// so that an unknown name takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("rankwall decoy password").unwrap_or_default())
}

/// The system's random source failed, so no secret can be made. Nothing
/// predictable is handed out in its place: the caller refuses the request
/// (a 500, or the command fails) and logs this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the system's random source failed: no session, CSRF or screen token can be made")]
pub struct NoRandomness;

/// 32 random bytes from the system's source, URL-safe base64: session ids,
/// CSRF tokens, screen tokens. Fails closed when the source fails.
pub fn random_token() -> Result<String, NoRandomness> {
    token_from(aws_lc_rs::rand::fill)
}

/// A token of the 32 bytes `fill` writes; no token when it fails.
fn token_from(
    fill: impl FnOnce(&mut [u8]) -> Result<(), aws_lc_rs::error::Unspecified>,
) -> Result<String, NoRandomness> {
    let mut bytes = [0u8; 32];
    fill(&mut bytes).map_err(|_| NoRandomness)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What the store keeps of a token: its SHA-256.
pub fn token_hash(token: &str) -> String {
    crate::digest::sha256_hex(token.as_bytes())
}

/// Whether two secrets are equal, in constant time (after hashing, so the
/// length does not show either).
pub fn same_secret(a: &str, b: &str) -> bool {
    token_hash(a).as_bytes().ct_eq(token_hash(b).as_bytes()).into()
}

/// The `Set-Cookie` value for a session, valid `ttl`.
pub fn session_cookie(token: &str, ttl: Duration, secure: bool) -> String {
    let ttl = cookie::time::Duration::seconds(i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX));
    cookie::Cookie::build((SESSION_COOKIE, token.to_string()))
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .secure(secure)
        .path("/")
        .max_age(ttl)
        .build()
        .to_string()
}

/// The `Set-Cookie` value that ends a session in the browser.
pub fn cleared_cookie(secure: bool) -> String {
    cookie::Cookie::build((SESSION_COOKIE, ""))
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .secure(secure)
        .path("/")
        .max_age(cookie::time::Duration::ZERO)
        .build()
        .to_string()
}

/// The session token in a request's `Cookie` headers, if any.
pub fn session_from(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_string())
}

/// Failed logins per user name and per client address, forgotten after
/// [`LOGIN_WINDOW`]; a guesser is held off for the rest of the window.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginLimiter {
    /// Takes an attempt for `user` from `peer`: `None` when it may go
    /// ahead (it is counted now, as a failure until [`LoginLimiter::succeeded`]
    /// says otherwise, so parallel guesses cannot slip past the limit); else
    /// how long to wait.
    pub fn attempt(&self, user: &str, peer: &str) -> Option<Duration> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        map.retain(|_, (_, since)| now.duration_since(*since) < LOGIN_WINDOW);
        let blocked = |key: &str, max: u32| {
            map.get(key)
                .filter(|(n, _)| *n >= max)
                .map(|(_, since)| LOGIN_WINDOW.saturating_sub(now.duration_since(*since)))
        };
        let wait = blocked(&format!("user:{user}"), MAX_FAILURES_PER_USER)
            .or_else(|| blocked(&format!("peer:{peer}"), MAX_FAILURES_PER_PEER));
        if wait.is_none() {
            for key in [format!("user:{user}"), format!("peer:{peer}")] {
                map.entry(key).or_insert((0, now)).0 += 1;
            }
        }
        wait
    }

    /// A good login: the attempt taken for it is given back, and the name's
    /// failures are forgotten.
    pub fn succeeded(&self, user: &str, peer: &str) {
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        map.remove(&format!("user:{user}"));
        if let Some((n, _)) = map.get_mut(&format!("peer:{peer}")) {
            *n = n.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_password_verifies_against_its_hash_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horsf", &hash));
        assert!(!verify_password("anything", decoy_hash()));
    }

    #[test]
    fn a_failing_random_source_gives_no_token() {
        let failed = token_from(|_| Err(aws_lc_rs::error::Unspecified));
        assert_eq!(failed, Err(NoRandomness));
        let token = random_token().unwrap();
        assert_eq!(token.len(), 43, "32 bytes, URL-safe base64 without padding");
        assert_ne!(token, random_token().unwrap());
    }

    #[test]
    fn the_sixth_failure_for_a_name_is_held_off() {
        let limiter = LoginLimiter::default();
        for _ in 0..MAX_FAILURES_PER_USER {
            assert!(limiter.attempt("admin", "1.2.3.4").is_none());
        }
        let wait = limiter.attempt("admin", "5.6.7.8").unwrap();
        assert!(wait > Duration::from_secs(290), "{wait:?}");
        assert!(limiter.attempt("other", "5.6.7.8").is_none());
        limiter.succeeded("other", "5.6.7.8");
        assert!(
            limiter.attempt("other", "5.6.7.8").is_none(),
            "a good login gives its attempt back"
        );
    }

    #[test]
    fn the_session_cookie_is_strict_and_http_only() {
        let c = session_cookie("abc", Duration::from_secs(60), true);
        for part in [
            "rankwall_session=abc",
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
            "Path=/",
            "Max-Age=60",
        ] {
            assert!(c.contains(part), "{c} lacks {part}");
        }
        assert!(!session_cookie("abc", Duration::from_secs(60), false).contains("Secure"));
    }
}
