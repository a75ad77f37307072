//! Memory measured in a process of its own, at its peak.
//!
//! The test binary runs many tests at once, so its own high-water mark says
//! little about one of them. A test that measures memory runs twice: as the
//! parent it starts this binary again with only itself selected, and that
//! child does the work and prints how far its peak rose above where it
//! started; the parent asserts on the figure.

use std::process::Command;

const CHILD: &str = "RANKWALL_TEST_ALONE";

/// Whether this process is the child doing the measured work.
pub fn in_child() -> bool {
    std::env::var_os(CHILD).is_some()
}

/// The resident memory now and the peak so far, in KiB.
pub fn rss_and_peak_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// In the child: prints how far the peak rose above `start_kib` (the
/// resident memory before the work).
pub fn report(start_kib: u64) {
    let (_, peak) = rss_and_peak_kib();
    println!("ALONE peak_growth_kib={}", peak.saturating_sub(start_kib));
}

/// In the parent: runs test `name` (its full path, e.g.
/// `source::an_endless_body_is_cut`) alone in a child and returns how far
/// the child's peak rose, in KiB. Fails if the child failed.
pub fn peak_growth_kib(name: &str) -> u64 {
    let exe = std::env::current_exe().unwrap();
    let out = Command::new(exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .unwrap();

    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{name} failed alone:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .find_map(|l| l.split("ALONE peak_growth_kib=").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} reported no figure:\n{stdout}"))
}
