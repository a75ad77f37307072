//! Keeping an X screen awake: the screen saver and DPMS would blank a wall
//! that nobody touches. On Wayland kiosks (cage) blanking is the
//! compositor's setting (docs/deploy.md).

/// Turns off the X screen saver and DPMS where `xset` is available. Call it
/// after opening our own display connection: an X server whose only client
/// (`xset`) leaves resets, and a connection made during the reset fails.
pub fn inhibit_blanking() {
    if std::env::var_os("DISPLAY").is_none() {
        return;
    }
    let status = std::process::Command::new("xset")
        .args(["s", "off", "-dpms", "s", "noblank"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => tracing::info!("X screen saver and DPMS turned off"),
        _ => tracing::info!("xset not available: screen blanking left as the session sets it"),
    }
}
