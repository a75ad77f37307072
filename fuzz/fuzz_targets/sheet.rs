//! Fuzz target `sheet`: its body is in `fuzz/bodies.rs`, shared with
//! `tests/it/fuzz_corpus.rs`, which runs the committed corpus on stable.

#![no_main]

// Each target uses one of the shared bodies; the others are unused here.
#[allow(dead_code)]
#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::sheet(data));
