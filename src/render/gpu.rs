//! The GPU context: instance, adapter, device and queue.

use thiserror::Error;

/// Why no device could be had.
#[derive(Debug, Error)]
pub enum GpuError {
    /// No backend offered an adapter (no GPU and no software driver).
    #[error("no GPU adapter found ({0}); on a machine without a GPU install Mesa's software Vulkan driver (Debian: apt-get install mesa-vulkan-drivers)")]
    NoAdapter(String),
    /// The adapter exists but refused the device (limits or features).
    #[error("the GPU adapter refused to create a device: {0}")]
    Device(String),
}

/// A wgpu device and queue with the adapter they came from.
pub struct Gpu {
    /// The instance the adapter came from (a window's surface needs it).
    pub instance: wgpu::Instance,
    /// The adapter: its name and backend go into logs and the status.
    pub adapter: wgpu::Adapter,
    /// The device every resource is made on.
    pub device: wgpu::Device,
    /// The queue work is submitted to.
    pub queue: wgpu::Queue,
}

impl Gpu {
    /// A device for offscreen rendering, with no window. The primary
    /// backends (Vulkan, Metal, DX12) are probed first and GL only when none
    /// has an adapter: starting EGL as well costs a cold start ~35 ms and
    /// ~11 MiB on lavapipe machines. `WGPU_BACKEND` and `WGPU_ADAPTER_NAME`
    /// choose the adapter when set.
    pub fn offscreen() -> Result<Gpu, GpuError> {
        let instance = |backends| {
            let mut descriptor = wgpu::InstanceDescriptor::new_without_display_handle();
            descriptor.backends = backends;
            wgpu::Instance::new(descriptor.with_env())
        };
        if std::env::var_os("WGPU_BACKEND").is_some() {
            return Self::with_instance(instance(wgpu::Backends::all()), None);
        }
        Self::with_instance(instance(wgpu::Backends::PRIMARY), None).or_else(|primary| {
            tracing::info!("no adapter on the primary backends ({primary}); trying GL");
            Self::with_instance(instance(wgpu::Backends::GL), None).map_err(|_| primary)
        })
    }

    /// A device on `instance` that can present to `surface` when one is given.
    pub fn with_instance(
        instance: wgpu::Instance,
        surface: Option<&wgpu::Surface<'_>>,
    ) -> Result<Gpu, GpuError> {
        pollster::block_on(async {
            let adapter = instance
                .request_adapter(&wgpu::RequestAdapterOptions {
                    compatible_surface: surface,
                    ..Default::default()
                })
                .await
                .map_err(|e| GpuError::NoAdapter(e.to_string()))?;
            let (device, queue) = adapter
                .request_device(&wgpu::DeviceDescriptor {
                    label: Some("rankwall"),
                    required_limits: wgpu::Limits::downlevel_webgl2_defaults()
                        .using_resolution(adapter.limits()),
                    ..Default::default()
                })
                .await
                .map_err(|e| GpuError::Device(e.to_string()))?;
            Ok(Gpu {
                instance,
                adapter,
                device,
                queue,
            })
        })
    }

    /// The adapter's name and backend, for logs and status.
    pub fn describe(&self) -> String {
        let info = self.adapter.get_info();
        format!("{} ({:?})", info.name, info.backend)
    }

    /// Frees the resources of finished work without waiting for the rest.
    pub fn poll_freed(&self) {
        let _ = self.device.poll(wgpu::PollType::Poll);
    }

    /// Waits for submitted work and frees dropped resources.
    pub fn poll_wait(&self) {
        let _ = self.device.poll(wgpu::PollType::wait_indefinitely());
    }
}
