//! Accepting and serving the status server's connections, so that no client
//! can knock it out.
//!
//! A screen runs with a limit of 1024 file descriptors, shared with the GPU
//! driver and the fonts. Clients that open connections and never finish a
//! request must neither exhaust them nor stop the accept loop, or `/healthz`
//! goes dark and the fleet monitor reboots a screen that plays fine. Hence:
//!
//! - at most [`Limits::max_connections`] connections at once; beyond that
//!   the *oldest* is closed to make room, so the newest (likely a health
//!   check someone waits on) is always served, however many idle ones came
//!   before it;
//! - hyper limits each request head (time and size) and each connection
//!   lives at most [`Limits::lifetime`], so slow clients let go on their own;
//! - accept errors (out of descriptors, aborted handshakes) are logged at a
//!   bounded rate and retried; the loop never ends.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// How connections are bounded.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Open connections at most; well under the process's 1024 descriptors.
    pub max_connections: usize,
    /// Time from the start of a request head (or of an idle keep-alive wait)
    /// to its end: a client trickling bytes is cut off after this.
    pub header_read_timeout: Duration,
    /// The read buffer, hence the largest request head (hyper answers 431).
    pub max_buf_size: usize,
    /// A connection's whole life, however active: a slow reader cannot hold
    /// a slot for ever.
    pub lifetime: Duration,
    /// After `lifetime`, the time a request in flight gets to finish.
    pub grace: Duration,
}

/// The limits the status server runs with. Its requests are tiny GETs from a
/// monitor and an admin's browser, so they can be tight.
pub(crate) const LIMITS: Limits = Limits {
    max_connections: 256,
    header_read_timeout: Duration::from_secs(5),
    max_buf_size: 16 * 1024,
    lifetime: Duration::from_secs(30),
    grace: Duration::from_secs(5),
};

/// The pause after an accept error other than a failed handshake: out of
/// descriptors or memory, retrying at once would only spin.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// At most one log line per this interval for accept errors.
const LOG_EVERY: Duration = Duration::from_secs(10);

/// Accepts and serves connections on `listener` with `router`, for ever.
pub(crate) async fn serve(listener: TcpListener, router: Router, limits: Limits) {
    serve_with(listener, router, limits, None).await
}

/// As [`serve`], over TLS when `tls` is given (the handshake must finish
/// within the header timeout, or the connection is dropped).
pub(crate) async fn serve_with(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    tls: Option<tokio_rustls::TlsAcceptor>,
) {
    let live = Registry::default();
    let mut errors = ErrorLog::default();
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                if live.make_room(limits.max_connections) {
                    // Let the evicted task close its socket before the next
                    // accept, or a burst of accepts holds descriptors for
                    // connections already given up.
                    tokio::task::yield_now().await;
                }
                let (slot, evicted) = live.register();
                let router = router.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    // Small answers: send them now rather than waiting for more to coalesce.
                    let _ = stream.set_nodelay(true);
                    let Some(tls) = tls else {
                        return connection(stream, peer, router, limits, evicted, slot).await;
                    };
                    match tokio::time::timeout(limits.header_read_timeout, tls.accept(stream)).await {
                        Ok(Ok(stream)) => connection(stream, peer, router, limits, evicted, slot).await,
                        Ok(Err(e)) => tracing::debug!(%peer, "TLS handshake failed: {e}"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                });
            }
            // The client gave up during the handshake: nothing is short.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::ConnectionReset
                        | io::ErrorKind::Interrupted
                ) =>
            {
                errors.note(&e);
            }
            // Most likely out of descriptors (EMFILE, ENFILE) or memory. Our
            // own connections are the only ones we can give back, so the
            // oldest goes; then a pause before trying again.
            Err(e) => {
                errors.note(&e);
                live.evict_oldest();
                tokio::time::sleep(ACCEPT_PAUSE).await;
            }
        }
    }
}

/// Serves one connection until it ends, is evicted, or outlives
/// `limits.lifetime`. Handlers find the peer's address as axum's `ConnectInfo`.
async fn connection<IO>(
    stream: IO,
    peer: SocketAddr,
    router: Router,
    limits: Limits,
    mut evicted: oneshot::Receiver<()>,
    _slot: Slot,
) where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_buf_size)
        .keep_alive(true);
    let service =
        tower::ServiceExt::map_request(router, move |mut r: hyper::Request<hyper::body::Incoming>| {
            r.extensions_mut().insert(ConnectInfo(peer));
            r
        });
    let conn = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(e) = result {
                tracing::debug!("status connection ended: {e}");
            }
        }
        // Evicted (or the registry dropped our sender): dropping the
        // connection closes the socket at once.
        _ = &mut evicted => tracing::debug!("status connection evicted for a newer one"),
        () = tokio::time::sleep(limits.lifetime) => {
            // Idle keep-alive connections close now; a response being
            // written gets `grace` to finish.
            conn.as_mut().graceful_shutdown();
            tokio::select! {
                _ = tokio::time::timeout(limits.grace, conn.as_mut()) => {}
                _ = &mut evicted => {}
            }
        }
    }
}

/// The live connections, oldest first, each with the sender that evicts it.
#[derive(Clone, Default)]
struct Registry(Arc<Mutex<Live>>);

#[derive(Default)]
struct Live {
    next_id: u64,
    connections: BTreeMap<u64, oneshot::Sender<()>>,
}

impl Registry {
    fn lock(&self) -> MutexGuard<'_, Live> {
        // The map stays consistent even if a holder panicked.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn len(&self) -> usize {
        self.lock().connections.len()
    }

    /// A new connection: its slot (which leaves the registry when dropped)
    /// and the receiver that tells it to close.
    fn register(&self) -> (Slot, oneshot::Receiver<()>) {
        let (tx, rx) = oneshot::channel();
        let mut live = self.lock();
        let id = live.next_id;
        live.next_id += 1;
        live.connections.insert(id, tx);
        let slot = Slot {
            registry: self.clone(),
            id,
        };
        (slot, rx)
    }

    /// Evicts the oldest connections until one more fits under `cap`;
    /// whether any was evicted.
    fn make_room(&self, cap: usize) -> bool {
        let mut evicted = false;
        while self.len() >= cap.max(1) {
            evicted |= self.evict_oldest();
        }
        evicted
    }

    /// Tells the oldest connection to close; false when there is none.
    fn evict_oldest(&self) -> bool {
        let oldest = self.lock().connections.pop_first();
        match oldest {
            Some((_, tx)) => {
                let _ = tx.send(());
                true
            }
            None => false,
        }
    }
}

/// A connection's place in the registry, given up when its task ends.
struct Slot {
    registry: Registry,
    id: u64,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.registry.lock().connections.remove(&self.id);
    }
}

/// Logs accept errors at most once per [`LOG_EVERY`], with a count of those
/// not logged: a storm of EMFILE must not flood the journal.
#[derive(Default)]
struct ErrorLog {
    last: Option<Instant>,
    unlogged: u64,
}

impl ErrorLog {
    fn note(&mut self, e: &io::Error) {
        let now = Instant::now();
        if self.last.is_some_and(|t| now.duration_since(t) < LOG_EVERY) {
            self.unlogged += 1;
            return;
        }
        if self.unlogged == 0 {
            tracing::warn!("the status server cannot accept a connection: {e}; retrying");
        } else {
            tracing::warn!(
                "the status server cannot accept a connection: {e}; retrying \
                 ({} more accept errors since the last message)",
                self.unlogged
            );
        }
        self.last = Some(now);
        self.unlogged = 0;
    }
}

#[cfg(test)]
#[path = "listener_tests.rs"]
pub(crate) mod tests;
