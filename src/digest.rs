//! Content hashes: the SHA-256 that proof of play, the status and the cache
//! use to name a document or a config. A leaf: it uses nothing of the crate.

#![deny(missing_docs)]

/// The SHA-256 of `bytes` as 64 lowercase hex digits (aws-lc's, the library
/// TLS and the feed signatures already use: one SHA-256 in the binary).
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes);
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_digests() {
        assert_eq!(
            super::sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
