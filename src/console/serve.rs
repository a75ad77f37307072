//! Starting the console: the data folder, the database, the feed, the
//! listener (TLS when configured) on the status server's well-kept stack.

use super::{feed, routes, shot, templates, Console, ConsoleError, ConsoleOptions};
use std::net::SocketAddr;
use std::sync::Arc;

/// The limits the console's connections run with: bigger heads and longer
/// lives than a screen's status server (browsers keep connections open,
/// screenshots take a while on 4G), still bounded. The header timeout is
/// also how long an idle keep-alive connection stays open: longer than the
/// shortest report interval (10 s), so a screen reporting that often keeps
/// one connection instead of racing the console's close. The connection
/// cap is set at start from the descriptors the process may open
/// ([`connection_cap`]).
const LIMITS: crate::net::listener::Limits = crate::net::listener::Limits {
    max_connections: MAX_CONNECTIONS,
    // A township office behind one NAT: a few clerks' browsers open six
    // connections each, and its screens one or two each.
    per_address: 64,
    header_read_timeout: std::time::Duration::from_secs(30),
    max_buf_size: 64 * 1024,
    lifetime: std::time::Duration::from_secs(120),
    grace: std::time::Duration::from_secs(10),
};

/// Connections at most when descriptors allow: room for thousands of
/// screens holding one connection each (the push connections of urgent
/// messages), plus the operators' browsers.
const MAX_CONNECTIONS: usize = 8192;

/// Descriptors kept for everything that is not a client connection (the
/// database, the feed's cache, fonts, the runtime's own).
const SPARE_DESCRIPTORS: u64 = 256;

/// The connection cap this process can afford: the soft limit on open
/// descriptors is raised to the hard one (systemd's default soft limit is
/// 1024, its hard limit far higher), then the cap is what fits under it.
fn connection_cap() -> usize {
    let wanted = MAX_CONNECTIONS as u64 + SPARE_DESCRIPTORS;
    let soft = match rlimit::increase_nofile_limit(wanted) {
        Ok(soft) => soft,
        Err(e) => {
            tracing::warn!("cannot read or raise the limit on open files: {e}");
            1024
        }
    };
    let cap = usize::try_from(soft.saturating_sub(SPARE_DESCRIPTORS)).unwrap_or(MAX_CONNECTIONS);
    cap.clamp(64, MAX_CONNECTIONS)
}

/// A console that is serving.
pub struct Running {
    /// The address it listens on (the port chosen when 0 was asked).
    pub addr: SocketAddr,
    /// The address screens and browsers reach it at (`--public-url`, else http(s)://ADDR).
    pub url: String,
    /// The serving task; it runs until the runtime stops.
    pub task: tokio::task::JoinHandle<()>,
}

/// Opens the store, loads the feed, binds and starts serving.
pub async fn start(options: ConsoleOptions) -> Result<Running, ConsoleError> {
    let exposed = !options.addr.ip().is_loopback();
    if exposed && options.tls.is_none() {
        if !options.insecure_listen {
            return Err(ConsoleError::Exposed(options.addr));
        }
        tracing::warn!(
            addr = %options.addr,
            "the console listens beyond this machine without TLS (--insecure-listen): \
             passwords and session cookies cross the network in clear"
        );
    }
    crate::private_file::create_private_dir(&options.data)
        .map_err(|e| ConsoleError::DataDir(options.data.clone(), e))?;
    let store = super::store::Store::open(&options.database())?;
    let feed = feed::start(options.feed.as_deref(), &options.data).await?;
    let tls = match &options.tls {
        Some((cert, key)) => Some(tls_acceptor(cert, key)?),
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .map_err(|e| ConsoleError::Bind(options.addr, e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ConsoleError::Bind(options.addr, e))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let public_url = options
        .public_url
        .clone()
        .unwrap_or_else(|| format!("{scheme}://{addr}"))
        .trim_end_matches('/')
        .to_string();
    let templates = templates::Templates::new()?;
    let served = super::published::load(&options.data);
    let console = Arc::new(Console {
        store,
        secure: tls.is_some(),
        options,
        feed,
        templates,
        logins: Default::default(),
        verifications: tokio::sync::Semaphore::new(super::auth::PARALLEL_VERIFICATIONS),
        renders: tokio::sync::Semaphore::new(1),
        thumbnails: tokio::sync::Semaphore::new(2),
        uploads: shot::Uploads::default(),
        public_url: public_url.clone(),
        slides: std::sync::Mutex::new(None),
        screens_viewed_at: std::sync::atomic::AtomicI64::new(0),
        refusals_logged: Default::default(),
        published: tokio::sync::watch::Sender::new(0),
        served: std::sync::RwLock::new(served),
        drafts: Default::default(),
    });
    let proxies = crate::net::TrustedProxies::new(console.options.trusted_proxies.clone());
    let watcher = tokio::spawn(super::alerts::watch(console.clone(), console.options.alert_check));
    let pruner = tokio::spawn(super::plays::prune_for_ever(console.clone()));
    let router = routes::router(console);
    let limits = crate::net::listener::Limits {
        max_connections: connection_cap(),
        ..LIMITS
    };
    tracing::info!(%addr, connections = limits.max_connections, "console listening");
    let serving = crate::net::listener::Options { tls, proxies };
    let serve = crate::net::listener::serve_with(listener, router, limits, serving);
    let task = tokio::spawn(async move {
        // The alert watcher lives as long as the serving task.
        let _watcher = AbortOnDrop(watcher);
        let _pruner = AbortOnDrop(pruner);
        serve.await
    });
    Ok(Running {
        addr,
        url: public_url,
        task,
    })
}

/// Aborts a task when dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A TLS acceptor for the PEM certificate chain `cert` and key `key`.
fn tls_acceptor(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> Result<tokio_rustls::TlsAcceptor, ConsoleError> {
    use tokio_rustls::rustls::pki_types::pem::PemObject as _;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|i| i.collect::<Result<Vec<_>, _>>())
        .map_err(|e| ConsoleError::Tls(format!("cannot read the certificate {}: {e}", cert.display())))?;
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| ConsoleError::Tls(format!("cannot read the key {}: {e}", key.display())))?;
    let config = tokio_rustls::rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| ConsoleError::Tls(e.to_string()))?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}
