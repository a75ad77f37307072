//! The integration tests, one binary: each file of `tests/it/` is a module,
//! and `common` holds the helpers they share. One binary links the library,
//! its fonts and its dependencies once, where a binary per file linked them
//! twenty-nine times (the slowest step of CI; docs/performance.md, CI).
//!
//! Run one file's tests with `cargo test --test it <file>::`, e.g.
//! `cargo test --test it golden::`.

mod common;

mod amendment2;
mod architecture;
mod banner;
mod bounded_feed;
mod cli;
mod compose;
mod compression;
mod config;
mod console;
mod console_alerts;
mod console_browser;
mod console_emergency;
mod console_entry;
mod console_flood;
mod console_pages;
mod console_plays;
mod console_proxy;
mod console_push;
mod console_roles;
mod console_shots;
mod cpu_frames;
mod disk_faults;
mod feed_validation;
mod fonts;
mod fuzz_corpus;
mod golden;
mod layout;
mod led_region;
mod marquee;
mod notify;
mod player;
mod prometheus;
mod publish;
mod schedule;
mod schema;
mod screen_text;
mod screen_wiring;
mod signed_feed;
mod source;
mod status;
mod status_limits;
mod trust;
mod typography;
mod views;
mod wall;
mod window;
mod window_recovery;
