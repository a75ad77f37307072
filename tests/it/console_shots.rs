//! Screenshots from screens against a console in its own process, so its
//! peak memory is its own (issue 28, finding 1): a PNG whose header claims a
//! size no screen has is refused before a pixel is decoded (1×8192 took the
//! console to 7.4 GB), text and ICC chunks that inflate to hundreds of MiB
//! are skipped, parallel uploads from one screen are received one at a time,
//! a refused upload is not asked for again, and a real frame still becomes a
//! thumbnail that fits the box. Through all of it the console's peak RSS
//! stays under 200 MiB.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::console_process::{self, Running, Setup};
use rankwall::console::store::Store;
use reqwest::StatusCode;
use std::io::Write as _;

const SCREENS: [&str; 6] = ["tall", "huge", "ztxt", "iccp", "twins", "real"];

/// The console's peak RSS must stay under this through every upload.
const PEAK_MIB: u64 = 200;

fn start() -> Running {
    console_process::start(Setup {
        screens: &SCREENS,
        ..Setup::default()
    })
}

/// What a console process is asked in this file.
trait Screenshots {
    async fn shot(&self, id: &str, png: Vec<u8>) -> (StatusCode, String);
    async fn asked(&self, id: &str) -> bool;
}

impl Screenshots for Running {
    async fn shot(&self, id: &str, png: Vec<u8>) -> (StatusCode, String) {
        self.report(id, "image/png", png).await
    }

    /// Whether a status report from `id` is answered with a request for a screenshot.
    async fn asked(&self, id: &str) -> bool {
        let (code, body) = self.report(id, "application/json", b"{}".to_vec()).await;
        assert_eq!(code, StatusCode::OK, "{body}");
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["screenshot"] == true
    }
}

/// A PNG of `width` × `height` grey pixels at `depth` bits, with `chunks`
/// (type, data) written before the pixels.
fn png(
    width: u32,
    height: u32,
    depth: png::BitDepth,
    color: png::ColorType,
    chunks: &[([u8; 4], Vec<u8>)],
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(color);
    encoder.set_depth(depth);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().unwrap();
    for (kind, data) in chunks {
        writer.write_chunk(png::chunk::ChunkType(*kind), data).unwrap();
    }
    let mut stream = writer.stream_writer().unwrap();
    let samples = match color {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        _ => 1,
    };
    let row = vec![0x40u8; (width as usize * samples * depth as usize).div_ceil(8)];
    for _ in 0..height {
        stream.write_all(&row).unwrap();
    }
    stream.finish().unwrap();
    drop(writer);
    out
}

/// `keyword`, a zero, compression method 0, then `mib` MiB of zeros as a
/// zlib stream (about a thousandth of that on the wire): the body of a zTXt
/// or iCCP chunk that inflates to `mib` MiB.
fn inflating_chunk(keyword: &str, mib: usize) -> Vec<u8> {
    let mut body = keyword.as_bytes().to_vec();
    body.extend([0, 0]);
    let mut zlib = flate2::write::ZlibEncoder::new(body, flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..mib {
        zlib.write_all(&zeros).unwrap();
    }
    zlib.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_are_bounded_before_they_are_decoded() {
    let console = start();
    use png::{BitDepth::*, ColorType::*};

    // 1×8192: no screen is that shape (the old thumbnailer made it 480×3.9 M).
    let (code, body) = console.shot("tall", png(1, 8192, Eight, Rgba, &[])).await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("1x8192"), "the reason names the size: {body}");
    // A refused upload is not asked for again at the next report.
    assert!(
        !console.asked("tall").await,
        "a refused screenshot is asked for again"
    );
    let (code, _) = console.shot("tall", png(64, 64, Eight, Rgb, &[])).await;
    assert_eq!(
        code,
        StatusCode::CONFLICT,
        "an upload nobody asked for is refused"
    );

    // 8192×8192 at one bit per pixel: 8 MiB on the wire, 256 MiB as RGBA.
    let (code, body) = console.shot("huge", png(8192, 8192, One, Grayscale, &[])).await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{body}");

    // Chunks that inflate to 300 MiB are skipped; the picture is kept.
    let ztxt = inflating_chunk("Comment", 300);
    let (code, body) = console
        .shot("ztxt", png(640, 360, Eight, Rgb, &[(*b"zTXt", ztxt)]))
        .await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let iccp = inflating_chunk("icc", 300);
    let (code, body) = console
        .shot("iccp", png(640, 360, Eight, Rgb, &[(*b"iCCP", iccp)]))
        .await;
    assert_eq!(code, StatusCode::OK, "{body}");

    // Four parallel 4K uploads from one screen: one is received.
    let frame = png(3840, 2160, Eight, Rgb, &[]);
    let uploads = (0..4).map(|_| console.shot("twins", frame.clone()));
    let codes: Vec<StatusCode> = futures_util::future::join_all(uploads)
        .await
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == StatusCode::OK).count(),
        1,
        "{codes:?}"
    );
    assert!(
        codes
            .iter()
            .all(|c| *c == StatusCode::OK || *c == StatusCode::CONFLICT),
        "{codes:?}"
    );

    // A real frame becomes a thumbnail.
    let (code, body) = console.shot("real", png(1920, 1080, Eight, Rgb, &[])).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let thumb = Store::open(&console.data.path().join("console.sqlite3"))
        .unwrap()
        .thumbnail("real")
        .unwrap()
        .unwrap();
    let thumb = image::load_from_memory(&thumb).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (480, 270));

    let peak = console.peak_mib();
    assert!(
        peak < PEAK_MIB,
        "the console peaked at {peak} MiB (limit {PEAK_MIB})"
    );
}
