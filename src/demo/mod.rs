//! The demo feed server (`rankwall demo-server`) and the small HTTP server it
//! runs on, which the tests also use to play every kind of faulty service.

pub mod http;
mod server;

pub use http::{Reply, Request, TestServer};
pub use server::{demo_body, run_demo_server, DemoOptions, Fault};
