//! An X server for the window tests: Xvfb on a display it picks itself, and
//! screenshots of the whole X screen with `xwd`.

use image::RgbaImage;
use std::process::{Child, Command, Stdio};

/// An Xvfb server on a free display, stopped when dropped.
pub struct Xvfb {
    child: Child,
    pub display: String,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_xvfb(size: (u32, u32)) -> Option<Xvfb> {
    let Ok(_) = Command::new("Xvfb").arg("-help").stderr(Stdio::null()).status() else {
        if std::env::var(super::SKIP_GPU).as_deref() == Ok("1") {
            eprintln!(
                "SKIPPED: Xvfb is not installed and {}=1 asked to skip",
                super::SKIP_GPU
            );
            return None;
        }
        panic!("the window test needs Xvfb (Debian: apt-get install xvfb x11-apps), or set {}=1 to skip it explicitly", super::SKIP_GPU);
    };
    // Xvfb picks a free display itself and writes its number to stdout, so
    // tests running at the same time never share a server.
    let screen = format!("{}x{}x24", size.0, size.1);
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            &screen,
            "-nolisten",
            "tcp",
            "-noreset",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("Xvfb's stdout");
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
        .expect("Xvfb's display number");
    let n: u32 = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("Xvfb did not report a display: {line:?}"));
    Some(Xvfb {
        child,
        display: format!(":{n}"),
    })
}

/// The whole X screen, read with `xwd` (ZPixmap, 24/32 bits per pixel).
pub fn screenshot(display: &str) -> RgbaImage {
    let out = Command::new("xwd")
        .args(["-root", "-silent", "-display", display])
        .output()
        .expect("xwd (Debian: x11-apps)");
    assert!(out.status.success(), "xwd failed");
    parse_xwd(&out.stdout)
}

pub fn parse_xwd(data: &[u8]) -> RgbaImage {
    let field =
        |i: usize| u32::from_be_bytes([data[i * 4], data[i * 4 + 1], data[i * 4 + 2], data[i * 4 + 3]]);
    let (header, width, height) = (field(0) as usize, field(4), field(5));
    let (byte_order, bpp, stride) = (field(7), field(11), field(12) as usize);
    let (rmask, gmask, bmask) = (field(14), field(15), field(16));
    let colors = field(19) as usize;
    assert_eq!(bpp, 32, "expected 32 bits per pixel");
    let pixels = &data[header + colors * 12..];
    let channel = |v: u32, mask: u32| ((v & mask) >> mask.trailing_zeros()) as u8;
    RgbaImage::from_fn(width, height, |x, y| {
        let i = y as usize * stride + x as usize * 4;
        let b = [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]];
        let v = if byte_order == 0 {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        };
        image::Rgba([channel(v, rmask), channel(v, gmask), channel(v, bmask), 255])
    })
}
