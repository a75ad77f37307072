//! Helpers shared by the integration tests.
#![allow(dead_code)]

use rankwall::feed::{self, Feed, Refusal, Report};
use rankwall::render::Headless;
use serde_json::Value;

/// The example feed as generic JSON, to be modified by a test.
pub fn example() -> Value {
    serde_json::from_str(feed::DEMO_FEED).expect("demo feed is JSON")
}

/// Serialises `v` and runs the real parser on the bytes.
pub fn parse(v: &Value) -> Result<(Feed, Report), Refusal> {
    feed::parse(serde_json::to_string(v).expect("serialise").as_bytes())
}

/// The environment variable that (only when set to 1) lets GPU tests skip
/// on a machine without an adapter. CI never sets it.
pub const SKIP_GPU: &str = "RANKWALL_SKIP_GPU_TESTS";

/// A headless renderer, or `None` when there is no adapter and skipping was
/// asked for explicitly. Without the variable, a missing adapter fails the test.
pub fn gpu_or_skip() -> Option<Headless> {
    match Headless::new() {
        Ok(h) => Some(h),
        Err(e) if std::env::var(SKIP_GPU).as_deref() == Ok("1") => {
            eprintln!("SKIPPED: no GPU adapter ({e}); {SKIP_GPU}=1 asked to skip");
            None
        }
        Err(e) => panic!(
            "no GPU adapter for the GPU tests: {e}.\n\
             Install lavapipe (Debian: apt-get install mesa-vulkan-drivers), \
             or set {SKIP_GPU}=1 to skip these tests explicitly."
        ),
    }
}
