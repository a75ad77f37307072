//! The window: winit on the main thread, borderless fullscreen at the
//! monitor's size (placed at its origin, so it fills the screen even where no
//! window manager honours fullscreen), cursor hidden, Fifo present. A frame
//! is drawn only when the [`Driver`] says the view changed; between changes
//! the loop sleeps until the next scheduled instant. Surface and device
//! failures are recovered here without leaving the loop.

use super::driver::Driver;
use super::events::ClientEvent;
use crate::config::Presentation;
use crate::offscreen::paint;
use crate::render::{FrameRenderer, Gpu, OffscreenTarget, RAW_FORMAT};
use crate::status::ScreenshotError;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};
use winit::application::ApplicationHandler;
use winit::dpi::{PhysicalPosition, PhysicalSize};
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop};
use winit::window::{Fullscreen, Window, WindowId};

/// The window, its surface and everything on the GPU.
struct Screen {
    window: Arc<Window>,
    surface: wgpu::Surface<'static>,
    gpu: Gpu,
    config: wgpu::SurfaceConfiguration,
    frames: FrameRenderer,
    device_lost: Arc<AtomicBool>,
    /// The last frame came back suboptimal: configure after presenting it.
    reconfigure_later: bool,
    /// Layers and a target for screenshots, made on the first request.
    capture: Option<(FrameRenderer, OffscreenTarget)>,
    /// The format frames are composed through (non-sRGB where allowed).
    view_format: wgpu::TextureFormat,
    /// What the config asked for, kept for a new device.
    asked: Presentation,
    /// The CPU path (`[screen] present`): frames composed in memory and
    /// presented through shared memory; `None`: the swapchain.
    shared: Option<Shared>,
}

/// Frames composed on the CPU and presented through shared memory
/// (`softbuffer`: MIT-SHM on X11, shm on Wayland), for an adapter that is
/// the CPU itself: its swapchain would blend on the CPU in a shader and
/// copy every frame to the display server through its socket.
struct Shared {
    surface: softbuffer::Surface<Arc<Window>, Arc<Window>>,
    frames: crate::offscreen::CpuFrames,
}

pub struct App {
    driver: Driver,
    rx: mpsc::Receiver<ClientEvent>,
    screen: Option<Screen>,
    /// `--size`: a plain window of this size instead of fullscreen.
    size: Option<(u32, u32)>,
    /// When the last frame's drawing started: frames are paced from start
    /// to start, so the time a present blocks is not added to the period.
    last_frame: Instant,
    frame_period: Duration,
    /// Answers that stand in for the surface's own at the next frames (the
    /// `lose-surface-on-sigusr2` test hook).
    surface_faults: VecDeque<SurfaceFault>,
    pub error: Option<anyhow::Error>,
}

/// A surface failure the test hook makes the window meet.
#[derive(Clone, Copy, Debug)]
enum SurfaceFault {
    Outdated,
    Lost,
}

impl App {
    pub fn new(driver: Driver, rx: mpsc::Receiver<ClientEvent>, size: Option<(u32, u32)>) -> Self {
        App {
            driver,
            rx,
            screen: None,
            size,
            last_frame: Instant::now(),
            frame_period: Duration::from_micros(16_667),
            surface_faults: VecDeque::new(),
            error: None,
        }
    }

    /// Runs the event loop until SIGTERM/SIGINT or a fatal error.
    pub fn run(mut self, event_loop: EventLoop<()>) -> anyhow::Result<()> {
        event_loop.run_app(&mut self)?;
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn open(&mut self, event_loop: &ActiveEventLoop) -> anyhow::Result<()> {
        let wanted = self.driver.player().settings().screen.monitor.clone();
        let named = wanted.as_ref().and_then(|name| {
            let found = event_loop.available_monitors().find(|m| m.name().as_ref() == Some(name));
            if found.is_none() {
                let names: Vec<String> = event_loop.available_monitors().filter_map(|m| m.name()).collect();
                tracing::warn!(monitor = %name, available = ?names, "configured monitor not found; using the primary");
            }
            found
        });
        let monitor = named
            .or_else(|| event_loop.primary_monitor())
            .or_else(|| event_loop.available_monitors().next());
        if let Some(hz) = monitor.as_ref().and_then(|m| m.refresh_rate_millihertz()) {
            self.frame_period = Duration::from_micros(1_000_000_000 / u64::from(hz.max(1000)));
        }
        let mut attributes = Window::default_attributes()
            .with_title("rankwall")
            .with_decorations(false);
        match (self.size, &monitor) {
            (Some((w, h)), _) => attributes = attributes.with_inner_size(PhysicalSize::new(w, h)),
            (None, Some(m)) => {
                attributes = attributes
                    .with_inner_size(m.size())
                    .with_position(m.position())
                    .with_fullscreen(Some(Fullscreen::Borderless(Some(m.clone()))));
            }
            (None, None) => {
                attributes = attributes
                    .with_position(PhysicalPosition::new(0, 0))
                    .with_fullscreen(Some(Fullscreen::Borderless(None)));
            }
        }
        let window = Arc::new(event_loop.create_window(attributes)?);
        window.set_cursor_visible(false);
        let present = self.driver.player().settings().screen.present;
        let screen = Screen::new(window, present)?;
        let presentation = screen.presentation();
        tracing::info!(adapter = %screen.gpu.describe(), presentation, asked = present.word(), width = screen.config.width, height = screen.config.height, format = ?screen.config.format, "window open");
        self.driver.set_presentation(presentation);
        self.driver
            .player_mut()
            .resize((screen.config.width, screen.config.height))?;
        self.driver.set_adapter(screen.gpu.describe());
        self.driver.invalidate();
        screen.window.request_redraw();
        self.screen = Some(screen);
        Ok(())
    }

    fn redraw(&mut self) -> anyhow::Result<()> {
        let Some(screen) = self.screen.as_mut() else {
            return Ok(());
        };
        if screen.device_lost.load(Ordering::SeqCst) {
            tracing::error!("GPU device lost; creating a new device and every GPU resource");
            let (window, present) = (screen.window.clone(), screen.asked);
            self.screen = None;
            self.screen = Some(Screen::new(window, present)?);
            self.driver.invalidate();
            return Ok(());
        }
        self.last_frame = Instant::now();
        let now = self.driver.now();
        let view = self.driver.player_mut().view_at(now);
        if screen.shared.is_some() {
            return self.redraw_shared(view, now);
        }
        let acquired = match self.surface_faults.pop_front() {
            Some(SurfaceFault::Outdated) => wgpu::CurrentSurfaceTexture::Outdated,
            Some(SurfaceFault::Lost) => wgpu::CurrentSurfaceTexture::Lost,
            None => screen.surface.get_current_texture(),
        };
        let frame = match acquired {
            wgpu::CurrentSurfaceTexture::Success(f) => f,
            wgpu::CurrentSurfaceTexture::Suboptimal(f) => {
                screen.reconfigure_later = true;
                f
            }
            wgpu::CurrentSurfaceTexture::Timeout | wgpu::CurrentSurfaceTexture::Occluded => return Ok(()),
            wgpu::CurrentSurfaceTexture::Outdated => {
                tracing::info!("surface out of date; configuring it again");
                screen.configure();
                screen.window.request_redraw();
                return Ok(());
            }
            wgpu::CurrentSurfaceTexture::Lost => {
                tracing::warn!("surface lost; creating it again");
                screen.recreate_surface()?;
                screen.window.request_redraw();
                return Ok(());
            }
            other => {
                tracing::error!("cannot get a frame ({other:?}); recreating the GPU device");
                screen.device_lost.store(true, Ordering::SeqCst);
                screen.window.request_redraw();
                return Ok(());
            }
        };
        let target = frame.texture.create_view(&wgpu::TextureViewDescriptor {
            format: Some(screen.view_format),
            ..Default::default()
        });
        let into = crate::render::FrameTarget::new(&target, Some(&frame.texture));
        paint(
            &mut screen.frames,
            &screen.gpu,
            self.driver.player_mut(),
            &view,
            now,
            into,
        )?;
        screen.window.pre_present_notify();
        screen.gpu.queue.present(frame);
        let _ = screen.gpu.device.poll(wgpu::PollType::Poll);
        if std::mem::take(&mut screen.reconfigure_later) {
            screen.configure();
        }
        self.driver.presented(view, now);
        self.driver.in_sync(now);
        Ok(())
    }

    /// A frame of the CPU path: composed into the shared-memory buffer and
    /// presented from there.
    fn redraw_shared(
        &mut self,
        view: crate::play::View,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> anyhow::Result<()> {
        let Some(screen) = self.screen.as_mut() else {
            return Ok(());
        };
        let size = (screen.config.width, screen.config.height);
        let Some(shared) = screen.shared.as_mut() else {
            return Ok(());
        };
        let mut buffer = shared
            .surface
            .buffer_mut()
            .map_err(|e| anyhow::anyhow!("no shared-memory frame: {e}"))?;
        let age = buffer.age();
        let changed = shared.frames.paint(
            &screen.gpu,
            self.driver.player_mut(),
            &view,
            now,
            (size, age),
            &mut buffer,
        )?;
        screen.window.pre_present_notify();
        // The next frame of a marquee puts only its moving band.
        let band = changed.and_then(|(top, rows)| {
            Some(softbuffer::Rect {
                x: 0,
                y: top,
                width: std::num::NonZeroU32::new(size.0)?,
                height: std::num::NonZeroU32::new(rows)?,
            })
        });
        match band {
            Some(band) => buffer.present_with_damage(&[band]),
            None => buffer.present(),
        }
        .map_err(|e| anyhow::anyhow!("cannot present the shared-memory frame: {e}"))?;
        self.driver.presented(view, now);
        self.driver.in_sync(now);
        Ok(())
    }

    /// Answers screenshot requests with the frame on screen, drawn again
    /// offscreen by the same `paint` (the surface itself cannot be read).
    fn answer_screenshots(&mut self) {
        let requests = self.driver.take_screenshot_requests();
        if requests.is_empty() {
            return;
        }
        let (Some(screen), Some(view)) = (self.screen.as_mut(), self.driver.drawn().cloned()) else {
            for r in requests {
                let _ = r.send(Err(ScreenshotError::NoFrame));
            }
            return;
        };
        let now = self.driver.now();
        let result = screen.capture(self.driver.player_mut(), &view, now);
        for r in requests {
            let _ = r.send(result.clone());
        }
    }

    fn drain_messages(&mut self, event_loop: &ActiveEventLoop) {
        while let Ok(event) = self.rx.try_recv() {
            match event {
                ClientEvent::LoseDeviceForTest => self.lose_device_for_test(),
                ClientEvent::SurfaceFaultsForTest => self.surface_faults_for_test(),
                event => self.driver.handle(event),
            }
        }
        if self.driver.shutting_down() {
            event_loop.exit();
        }
    }

    /// The test hook: destroys the device, as a driver reset would. The next
    /// frame then finds it gone (the surface refuses it, or the device-lost
    /// callback has flagged it) and the redraw after rebuilds the device and
    /// every GPU resource, the path a real loss takes.
    fn lose_device_for_test(&mut self) {
        let Some(screen) = self.screen.as_ref() else {
            return;
        };
        tracing::warn!("test hook: destroying the GPU device (RANKWALL_TEST_HOOKS=lose-device-on-sigusr2)");
        screen.gpu.device.destroy();
        self.driver.invalidate();
        screen.window.request_redraw();
    }

    /// The test hook: the next frame finds the surface out of date and the
    /// one after finds it lost, as a driver says after a mode change or a
    /// compositor restart; the window must act on each and draw again.
    fn surface_faults_for_test(&mut self) {
        let Some(screen) = self.screen.as_ref() else {
            return;
        };
        tracing::warn!("test hook: the surface will be out of date, then lost (RANKWALL_TEST_HOOKS=lose-surface-on-sigusr2)");
        self.surface_faults
            .extend([SurfaceFault::Outdated, SurfaceFault::Lost]);
        // The view on screen stays current (no invalidate), as it does when
        // a compositor loses a surface under a static page: only the
        // window's own handling asks for the frames that bring it back.
        screen.window.request_redraw();
    }

    fn fail(&mut self, event_loop: &ActiveEventLoop, error: anyhow::Error) {
        tracing::error!("{error:#}");
        self.error = Some(error);
        event_loop.exit();
    }
}

impl ApplicationHandler<()> for App {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.screen.is_none() {
            if let Err(e) = self.open(event_loop) {
                self.fail(event_loop, e);
            }
        }
    }

    fn user_event(&mut self, event_loop: &ActiveEventLoop, _wake: ()) {
        self.drain_messages(event_loop);
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        match event {
            WindowEvent::CloseRequested => event_loop.exit(),
            WindowEvent::Resized(size) => {
                let Some(screen) = self.screen.as_mut() else {
                    return;
                };
                if size.width == 0 || size.height == 0 {
                    return;
                }
                screen.config.width = size.width;
                screen.config.height = size.height;
                screen.configure();
                screen.frames.clear();
                if let Some(shared) = screen.shared.as_mut() {
                    shared.frames.clear();
                }
                tracing::info!(
                    width = size.width,
                    height = size.height,
                    "screen resized; laying out again"
                );
                if let Err(e) = self.driver.player_mut().resize((size.width, size.height)) {
                    tracing::warn!("cannot lay out for the new size: {e}");
                }
                self.driver.invalidate();
                screen.window.request_redraw();
            }
            WindowEvent::RedrawRequested => {
                if let Err(e) = self.redraw() {
                    self.driver.frame_failed(&format!("{e:#}"));
                }
            }
            _ => {}
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        self.drain_messages(event_loop);
        let Some(window) = self.screen.as_ref().map(|s| s.window.clone()) else {
            event_loop.set_control_flow(ControlFlow::Wait);
            return;
        };
        let now = self.driver.now();
        // At most one frame per refresh period, even where Fifo does not
        // throttle (Xvfb); a little less than the period, as the wake-up
        // comes a fraction of a millisecond late.
        let earliest = self.last_frame + self.frame_period * 15 / 16;
        self.answer_screenshots();
        let deadline = if self.driver.due(now).is_some() {
            if Instant::now() >= earliest {
                window.request_redraw();
            }
            earliest
        } else {
            self.driver.in_sync(now);
            match self.driver.sleep(now) {
                None => earliest,
                Some(d) => Instant::now() + d,
            }
        };
        // A fresh deadline every time: one left in the past would spin.
        event_loop.set_control_flow(ControlFlow::WaitUntil(
            deadline.max(Instant::now() + Duration::from_millis(1)),
        ));
    }
}

impl Screen {
    fn new(window: Arc<Window>, asked: Presentation) -> anyhow::Result<Screen> {
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_with_display_handle_from_env(
            Box::new(window.clone()),
        ));
        let surface = instance.create_surface(window.clone())?;
        let gpu = Gpu::with_instance(instance, Some(&surface))?;
        let device_lost = Arc::new(AtomicBool::new(false));
        let flag = device_lost.clone();
        gpu.device.set_device_lost_callback(move |reason, message| {
            tracing::error!(?reason, "GPU device lost: {message}");
            flag.store(true, Ordering::SeqCst);
        });
        let size = window.inner_size();
        let caps = surface.get_capabilities(&gpu.adapter);
        let format = caps
            .formats
            .iter()
            .copied()
            .find(|f| {
                use wgpu::TextureFormat::*;
                matches!(f, Bgra8Unorm | Bgra8UnormSrgb | Rgba8Unorm | Rgba8UnormSrgb)
            })
            .or_else(|| caps.formats.first().copied())
            .ok_or_else(|| anyhow::anyhow!("the window's surface offers no format"))?;
        // Compose into a non-sRGB view of an sRGB surface where the adapter
        // allows it: the composed sRGB bytes then go out unconverted.
        let raw = format.remove_srgb_suffix();
        let raw_view = raw != format
            && gpu
                .adapter
                .get_downlevel_capabilities()
                .flags
                .contains(wgpu::DownlevelFlags::SURFACE_VIEW_FORMATS);
        let view_format = if raw_view { raw } else { format };
        // Plain frames are copied from their layer when the surface allows it.
        let usage = wgpu::TextureUsages::RENDER_ATTACHMENT | (caps.usages & wgpu::TextureUsages::COPY_DST);
        let config = wgpu::SurfaceConfiguration {
            usage,
            format,
            width: size.width.max(1),
            height: size.height.max(1),
            present_mode: wgpu::PresentMode::Fifo,
            desired_maximum_frame_latency: 2,
            alpha_mode: caps
                .alpha_modes
                .first()
                .copied()
                .unwrap_or(wgpu::CompositeAlphaMode::Auto),
            view_formats: if raw_view { vec![raw] } else { Vec::new() },
            color_space: wgpu::SurfaceColorSpace::Auto,
        };
        let software = gpu.adapter.get_info().device_type == wgpu::DeviceType::Cpu;
        let shared = match asked {
            Presentation::Cpu => true,
            Presentation::Gpu => false,
            Presentation::Auto => software,
        };
        let shared = if shared {
            Some(Shared::new(&window, &gpu)?)
        } else {
            None
        };
        let frames = FrameRenderer::new(&gpu, view_format);
        let mut screen = Screen {
            window,
            surface,
            gpu,
            config,
            frames,
            device_lost,
            reconfigure_later: false,
            capture: None,
            view_format,
            shared,
            asked,
        };
        screen.configure();
        Ok(screen)
    }

    /// Where frames go, for the log and the status.
    fn presentation(&self) -> &'static str {
        if self.shared.is_some() {
            "cpu"
        } else {
            "gpu"
        }
    }

    fn capture(
        &mut self,
        player: &mut crate::play::Player,
        view: &crate::play::View,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<image::RgbaImage, ScreenshotError> {
        let (w, h) = (self.config.width, self.config.height);
        let fits = self
            .capture
            .as_ref()
            .is_some_and(|(_, t)| (t.width, t.height) == (w, h));
        if !fits {
            let frames = FrameRenderer::new(&self.gpu, RAW_FORMAT);
            self.capture = Some((frames, OffscreenTarget::new(&self.gpu, w, h)));
        }
        let Some((frames, target)) = self.capture.as_mut() else {
            return Err(ScreenshotError::NoTarget);
        };
        paint(frames, &self.gpu, player, view, now, target.frame_target())
            .map_err(|e| ScreenshotError::Draw(e.to_string()))?;
        target
            .read(&self.gpu)
            .map_err(|e| ScreenshotError::Draw(e.to_string()))
    }

    fn configure(&mut self) {
        let (w, h) = (self.config.width, self.config.height);
        match self.shared.as_mut() {
            Some(shared) => shared.resize(w, h),
            None => self.surface.configure(&self.gpu.device, &self.config),
        }
    }

    fn recreate_surface(&mut self) -> anyhow::Result<()> {
        self.surface = self.gpu.instance.create_surface(self.window.clone())?;
        self.configure();
        Ok(())
    }
}

impl Shared {
    fn new(window: &Arc<Window>, gpu: &Gpu) -> anyhow::Result<Shared> {
        let context = softbuffer::Context::new(window.clone())
            .map_err(|e| anyhow::anyhow!("no shared-memory display connection: {e}"))?;
        let surface = softbuffer::Surface::new(&context, window.clone())
            .map_err(|e| anyhow::anyhow!("no shared-memory surface: {e}"))?;
        Ok(Shared {
            surface,
            frames: crate::offscreen::CpuFrames::new(gpu),
        })
    }

    fn resize(&mut self, width: u32, height: u32) {
        let size = (
            std::num::NonZeroU32::new(width),
            std::num::NonZeroU32::new(height),
        );
        if let (Some(w), Some(h)) = size {
            if let Err(e) = self.surface.resize(w, h) {
                tracing::warn!("cannot resize the shared-memory surface: {e}");
            }
        }
    }
}
