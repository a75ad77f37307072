//! `rankwall run --headless`: the same driver, schedule and poller as the
//! window, drawing into an offscreen target of the configured size. It never
//! touches winit, so it runs where there is no display at all.

use super::driver::Driver;
use super::events::ClientEvent;
use crate::offscreen::OffscreenScreen;
use crate::status::ScreenshotError;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// The frame period while something moves.
const FRAME_PERIOD: Duration = Duration::from_micros(16_667);

/// Runs until SIGTERM/SIGINT (or every sender is gone).
pub fn run_headless(
    mut driver: Driver,
    rx: mpsc::Receiver<ClientEvent>,
    physical: (u32, u32),
) -> anyhow::Result<()> {
    driver.player_mut().resize(physical)?;
    let mut screen = OffscreenScreen::new(physical)?;
    tracing::info!(adapter = %screen.gpu.describe(), width = physical.0, height = physical.1, "headless screen ready");
    driver.set_adapter(screen.gpu.describe());
    driver.set_presentation("offscreen");
    let mut last_frame = Instant::now();
    loop {
        let now = driver.now();
        let read_at = Instant::now();
        match driver.due(now) {
            Some(view) => match screen.draw(driver.player_mut(), &view, now) {
                Ok(()) => {
                    driver.presented(view, now);
                    driver.in_sync(now);
                    last_frame = Instant::now();
                }
                Err(e) => driver.frame_failed(&e.to_string()),
            },
            None => driver.in_sync(now),
        }
        for request in driver.take_screenshot_requests() {
            let image = match driver.drawn() {
                Some(_) => screen.read().map_err(|e| ScreenshotError::Draw(e.to_string())),
                None => Err(ScreenshotError::NoFrame),
            };
            let _ = request.send(image);
        }
        // The wait comes from the same clock reading that chose what to draw,
        // less the time drawing took: a second reading taken just past a
        // page boundary would sleep through the whole new page.
        let wait = match driver.sleep(now) {
            None => FRAME_PERIOD.saturating_sub(last_frame.elapsed()),
            Some(d) => d.saturating_sub(read_at.elapsed()),
        };
        match rx.recv_timeout(wait) {
            Ok(event) => {
                driver.handle(event);
                while let Ok(event) = rx.try_recv() {
                    driver.handle(event);
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        if driver.shutting_down() {
            tracing::info!("leaving");
            return Ok(());
        }
    }
}
