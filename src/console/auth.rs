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

/// Failed logins for one name from one address before each further attempt
/// from there waits (1 s, then 2, 4, … up to [`LOGIN_WINDOW`]).
const FREE_PER_PAIR: u32 = 5;
/// Failed logins from one address, for any names, before it waits likewise.
const FREE_PER_PEER: u32 = 20;
/// Failed logins for one name, from all addresses, before addresses that
/// have failed themselves wait likewise; an address without failures never
/// does, so nobody can lock an operator out from elsewhere.
const FREE_PER_USER: u32 = 5;
/// How long failures are remembered after the last one, and the longest wait.
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

/// Failed logins per name and address, per address and per name, each
/// forgotten [`LOGIN_WINDOW`] after its last failure. Beyond its free
/// failures a counter makes the next attempt wait, twice as long each time.
/// An address that has not failed is never held off: an operator logging in
/// from their own desk is not locked out by someone guessing elsewhere.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

/// The address a login counts against: an IPv4 address as it is, an IPv6
/// address by its /64 (one host holds a whole /64, so counting single IPv6
/// addresses would give a guesser billions of fresh ones).
pub fn peer_key(ip: std::net::IpAddr) -> String {
    match crate::net::address_key(ip) {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => format!("{v6}/64"),
    }
}

/// How long an attempt waits after `count` failures, `free` of them free.
fn backoff(count: u32, free: u32) -> Duration {
    if count < free {
        return Duration::ZERO;
    }
    Duration::from_secs(1u64 << (count - free).min(9)).min(LOGIN_WINDOW)
}

impl LoginLimiter {
    /// Takes an attempt for `user` from `peer`: `None` when it may go
    /// ahead (it is counted now, as a failure until [`LoginLimiter::succeeded`]
    /// says otherwise, so parallel guesses cannot slip past the limit); else
    /// how long to wait.
    pub fn attempt(&self, user: &str, peer: &str) -> Option<Duration> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        map.retain(|_, (_, last)| now.duration_since(*last) < LOGIN_WINDOW);
        let keys = [
            format!("pair:{user}\n{peer}"),
            format!("peer:{peer}"),
            format!("user:{user}"),
        ];
        let wait_for = |key: &str, free: u32| {
            map.get(key).map_or(Duration::ZERO, |(count, last)| {
                backoff(*count, free).saturating_sub(now.duration_since(*last))
            })
        };
        let mut wait = wait_for(&keys[0], FREE_PER_PAIR).max(wait_for(&keys[1], FREE_PER_PEER));
        if map.contains_key(&keys[1]) {
            wait = wait.max(wait_for(&keys[2], FREE_PER_USER));
        }
        if !wait.is_zero() {
            return Some(wait);
        }
        for key in keys {
            let entry = map.entry(key).or_insert((0, now));
            *entry = (entry.0 + 1, now);
        }
        None
    }

    /// A good login: the attempt taken for it is given back, and the name's
    /// failures (from this address and in all) are forgotten.
    pub fn succeeded(&self, user: &str, peer: &str) {
        let mut map = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        map.remove(&format!("pair:{user}\n{peer}"));
        map.remove(&format!("user:{user}"));
        let peer_key = format!("peer:{peer}");
        if let Some((n, _)) = map.get_mut(&peer_key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&peer_key);
            }
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
    fn failures_make_their_own_address_wait_longer_and_no_other() {
        let limiter = LoginLimiter::default();
        for _ in 0..FREE_PER_PAIR {
            assert!(limiter.attempt("admin", "1.2.3.4").is_none());
        }
        let wait = limiter.attempt("admin", "1.2.3.4").unwrap();
        assert!(wait <= Duration::from_secs(1) && !wait.is_zero(), "{wait:?}");
        // An address that never failed is not held off for the same name.
        assert!(limiter.attempt("admin", "5.6.7.8").is_none());
        limiter.succeeded("admin", "5.6.7.8");
        assert!(limiter.attempt("other", "5.6.7.8").is_none());
        limiter.succeeded("other", "5.6.7.8");
        assert!(
            limiter.attempt("other", "5.6.7.8").is_none(),
            "a good login gives its attempt back"
        );
    }

    #[test]
    fn an_ipv6_host_counts_as_its_64() {
        let key = |s: &str| peer_key(s.parse().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:ffff::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:10.0.0.1"), "10.0.0.1");
        assert_eq!(key("10.0.0.1"), "10.0.0.1");
    }

    #[test]
    fn the_wait_doubles_up_to_the_window() {
        assert_eq!(backoff(4, 5), Duration::ZERO);
        assert_eq!(backoff(5, 5), Duration::from_secs(1));
        assert_eq!(backoff(6, 5), Duration::from_secs(2));
        assert_eq!(backoff(9, 5), Duration::from_secs(16));
        assert_eq!(backoff(40, 5), LOGIN_WINDOW);
    }

    #[test]
    fn a_name_guessed_from_many_addresses_slows_those_that_failed() {
        let limiter = LoginLimiter::default();
        for n in 0..FREE_PER_USER {
            assert!(limiter.attempt("admin", &format!("10.0.0.{n}")).is_none());
        }
        // 10.0.0.0 failed once for this name, which has failed five times in all.
        assert!(limiter.attempt("admin", "10.0.0.0").is_some());
        assert!(
            limiter.attempt("admin", "10.0.9.9").is_none(),
            "a clean address is not held"
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
