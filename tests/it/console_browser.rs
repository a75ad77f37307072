//! The console end to end in a real browser: `tests/console-e2e` drives
//! Debian's Chromium with Playwright (npm `playwright-core`) through login,
//! enrolment, a real `rankwall run --headless` reporting to the console,
//! form and source edits, a refused bad time, publish, roll back, preview,
//! data and audit. This test installs the script's locked dependencies when
//! they are missing and runs it with the binary cargo just built. Without
//! Node.js or Chromium it fails and says what to install; it never skips.
// Tests fail by panicking: an unwrap that fails here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

#[test]
fn the_console_works_in_a_real_browser() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/console-e2e");
    for (program, install) in [("node", "nodejs npm"), ("/usr/bin/chromium", "chromium")] {
        let found = Command::new(program)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "{program} is needed for the browser test: apt-get install {install}"
        );
    }
    if !folder.join("node_modules/playwright-core").exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&folder)
            .status()
            .expect("npm");
        assert!(status.success(), "npm ci in {} failed", folder.display());
    }
    let status = Command::new("node")
        .arg("console.e2e.mjs")
        .current_dir(&folder)
        .env("RANKWALL_BIN", env!("CARGO_BIN_EXE_rankwall"))
        .status()
        .expect("node");
    assert!(
        status.success(),
        "the browser test failed: see its output above and tests/console-e2e/artifacts/"
    );
}
