//! The status a screen publishes, built from its driver's private state.

use super::Driver;
use crate::play::Still;
use crate::status::{ConfigStatus, DataStatus, ScreenState, ScreenStatus, Showing};
use chrono::{DateTime, FixedOffset, Utc};

pub(super) fn status_of(d: &Driver, now: DateTime<FixedOffset>) -> ScreenStatus {
    let (started_at, frames, last_frame_at, in_sync_at) =
        (d.started_at, d.frames, d.last_frame_at, d.in_sync_at);
    let (dropped, uncovered) = (d.dropped, d.uncovered);
    let player = &d.player;
    let feed = player.feed();
    let hours = player.settings().feed.stale_after_hours();
    let (width, height) = player.physical();
    ScreenStatus {
        screen_id: player.settings().screen.id.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        started_at,
        published_at: Utc::now(),
        adapter: d.identity.adapter.clone(),
        presentation: d.identity.presentation.clone(),
        width,
        height,
        showing: showing(d, now),
        data: DataStatus {
            generated_at: Some(feed.generated_at),
            age_secs: Some((now - feed.generated_at).num_seconds()),
            sha256: d.feed_status.as_ref().and_then(|f| f.sha256.clone()),
            etag: d.feed_status.as_ref().and_then(|f| f.etag.clone()),
            content_sha256: player.data_hash().to_string(),
            stale: player.stale_at().is_some_and(|at| now >= at),
            stale_after_hours: hours,
        },
        feed: d.feed_status.clone(),
        config: ConfigStatus {
            source: d.identity.config_source.clone(),
            sha256: player.config_hash().to_string(),
            remote_sha256: player.settings().remote_sha256.clone(),
            last_reload: d.config_result.clone(),
            applies_after_restart: d.applies_after_restart.clone(),
        },
        dropped_items: dropped,
        uncovered_chars: uncovered,
        frames_presented: frames,
        last_frame_at,
        in_sync_at,
        play_log: d.play_log.as_ref().map(|w| w.status()),
    }
}

fn showing(d: &Driver, now: DateTime<FixedOffset>) -> Showing {
    let Some(view) = d.drawn() else {
        return Showing {
            state: ScreenState::Starting,
            ..Showing::default()
        };
    };
    match &view.still {
        Still::Black => Showing {
            state: ScreenState::Off,
            ..Showing::default()
        },
        Still::Idle { banner, .. } => Showing {
            state: ScreenState::Idle,
            banner: banner_id(d, *banner),
            ..Showing::default()
        },
        Still::Page {
            item, page, banner, ..
        } => Showing {
            state: ScreenState::Page,
            item: Some(*item),
            slide: Some(page.id.clone()),
            page: Some(page.index + 1),
            pages: Some(page.count),
            since: match d.player.frame(now) {
                crate::schedule::Frame::Page { started, .. } => Some(started),
                _ => None,
            },
            banner: banner_id(d, *banner),
        },
    }
}

/// The message id of banner `b` on show.
fn banner_id(d: &Driver, b: Option<usize>) -> Option<String> {
    Some(d.player.settings().banners.get(b?)?.id.clone())
}
