//! Signed feeds (contract Amendment 1, Integrity): a detached Ed25519
//! signature over the exact bytes of the decoded body, published as base64
//! at `<feed URL>.sig`. The screen verifies with the city's public key; the
//! publisher signs with `rankwall feed sign`. The cryptography is aws-lc-rs
//! (the same library that already does rustls' TLS here), never our own.
//! A leaf: it uses nothing of the crate.

#![deny(missing_docs)]

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair as _, UnparsedPublicKey, ED25519};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use thiserror::Error;

/// The longest signature file read: a base64 signature is 88 characters.
pub const MAX_SIGNATURE_BYTES: usize = 1024;

/// Why a signature or a key is not usable.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SigningError {
    /// The public key is not base64 of 32 bytes.
    #[error("the public key is not the base64 of a 32-byte Ed25519 key ({0})")]
    BadPublicKey(String),
    /// The signature file is not base64 of 64 bytes.
    #[error("the signature is not the base64 of a 64-byte Ed25519 signature ({0})")]
    BadSignature(String),
    /// The signature is well formed but does not verify over the body.
    #[error("the signature does not verify over this document with the configured public key")]
    Mismatch,
    /// The private key file is not a PKCS#8 Ed25519 key.
    #[error("the private key is not a PKCS#8 Ed25519 key (made by `rankwall feed keygen`): {0}")]
    BadPrivateKey(String),
    /// The system's random source failed.
    #[error("cannot make a key: {0}")]
    Random(String),
}

/// The city's public key, as a screen's config gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey([u8; 32]);

impl PublicKey {
    /// Parses the base64 of a 32-byte Ed25519 public key (spaces around it ignored).
    pub fn parse(text: &str) -> Result<Self, SigningError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|e| SigningError::BadPublicKey(e.to_string()))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|b: Vec<u8>| SigningError::BadPublicKey(format!("{} bytes", b.len())))?;
        Ok(PublicKey(key))
    }

    /// The key as base64, as `rankwall feed keygen` writes it.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// Checks `signature` (the text of a `.sig` file: base64, surrounding
    /// whitespace ignored) over the exact bytes of `body`.
    pub fn verify(&self, body: &[u8], signature: &[u8]) -> Result<(), SigningError> {
        let text = std::str::from_utf8(signature).map_err(|e| SigningError::BadSignature(e.to_string()))?;
        let sig = STANDARD
            .decode(text.trim())
            .map_err(|e| SigningError::BadSignature(e.to_string()))?;
        if sig.len() != 64 {
            return Err(SigningError::BadSignature(format!("{} bytes", sig.len())));
        }
        UnparsedPublicKey::new(&ED25519, &self.0)
            .verify(body, &sig)
            .map_err(|_| SigningError::Mismatch)
    }
}

/// A new key pair: the private key as PKCS#8 (to keep secret) and its public key.
pub fn generate() -> Result<(Vec<u8>, PublicKey), SigningError> {
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
        .map_err(|e| SigningError::Random(e.to_string()))?;
    let pair =
        Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).map_err(|e| SigningError::BadPrivateKey(e.to_string()))?;
    let public = public_of(&pair)?;
    Ok((pkcs8.as_ref().to_vec(), public))
}

/// The base64 signature (with a final newline) of `body` under the PKCS#8
/// private key `pkcs8`, and the matching public key.
pub fn sign(pkcs8: &[u8], body: &[u8]) -> Result<(String, PublicKey), SigningError> {
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8).map_err(|e| SigningError::BadPrivateKey(e.to_string()))?;
    let signature = pair.sign(body);
    Ok((
        format!("{}\n", STANDARD.encode(signature.as_ref())),
        public_of(&pair)?,
    ))
}

fn public_of(pair: &Ed25519KeyPair) -> Result<PublicKey, SigningError> {
    let key: [u8; 32] = pair
        .public_key()
        .as_ref()
        .try_into()
        .map_err(|_| SigningError::BadPrivateKey("public key of the wrong length".into()))?;
    Ok(PublicKey(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_over_its_own_bytes_and_key() {
        let (private, public) = generate().unwrap();
        let body = r#"{"schema_version":1,"name":"王小华"}"#.as_bytes();
        let (sig, signer) = sign(&private, body).unwrap();
        assert_eq!(signer, public);
        assert_eq!(public.verify(body, sig.as_bytes()), Ok(()));
        let changed = r#"{"schema_version":1,"name":"王小花"}"#.as_bytes();
        assert_eq!(
            public.verify(changed, sig.as_bytes()),
            Err(SigningError::Mismatch)
        );
        let (_, other) = generate().unwrap();
        assert_eq!(other.verify(body, sig.as_bytes()), Err(SigningError::Mismatch));
        assert!(matches!(
            public.verify(body, b"not base64!"),
            Err(SigningError::BadSignature(_))
        ));
        assert_eq!(PublicKey::parse(&public.to_base64()).unwrap(), public);
        assert!(PublicKey::parse("c2hvcnQ=").is_err(), "5 bytes");
    }
}
