//! Content hashes: the SHA-256 that proof of play, the status and the cache
//! use to name a document or a config. A leaf: it uses nothing of the crate.

#![deny(missing_docs)]

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes` as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
