//! Keeps proof of play within the admin's retention: lines older than it
//! go once an hour (and at once when the retention changes), so the
//! database grows with the fleet, not with time.

use super::{db, Shared};
use std::time::Duration;

/// How often old lines are looked for.
const EVERY: Duration = Duration::from_secs(3600);

/// Prunes for ever, first at start.
pub async fn prune_for_ever(console: Shared) {
    let mut ticker = tokio::time::interval(EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        prune_now(&console).await;
    }
}

/// Removes the lines older than the retention; a failure is logged.
pub async fn prune_now(console: &Shared) {
    let pruned = db(console, |s| {
        let days = s.plays_retention_days()?;
        let before = chrono::Utc::now() - chrono::Duration::days(days);
        s.prune_plays(before.timestamp_millis())
    })
    .await;
    match pruned {
        Ok(0) => {}
        Ok(n) => tracing::info!(lines = n, "proof of play past its retention removed"),
        Err(e) => tracing::error!("console proof of play: cannot prune: {e}"),
    }
}
