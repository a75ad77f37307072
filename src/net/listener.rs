//! Accepting and serving the status server's connections, so that no client
//! can knock it out.
//!
//! A screen runs with a limit of 1024 file descriptors, shared with the GPU
//! driver and the fonts. Clients that open connections and never finish a
//! request must neither exhaust them nor stop the accept loop, or `/healthz`
//! goes dark and the fleet monitor reboots a screen that plays fine. Hence:
//!
//! - at most [`Limits::max_connections`] connections at once, and at most
//!   [`Limits::per_address`] from one address (trusted proxies excepted);
//!   beyond that the oldest *idle* connection (of that address first) is
//!   closed to make room, so the newest (likely a health check someone waits
//!   on) is served however many idle ones came before it, and a request in
//!   progress (a screen's upload) is never cut; when every connection in
//!   the way is busy, the newcomer is refused instead (see `registry`);
//! - hyper limits each request head (time and size) and each connection
//!   lives at most [`Limits::lifetime`], so slow clients let go on their own;
//! - accept errors (out of descriptors, aborted handshakes) are logged at a
//!   bounded rate and retried; the loop never ends.

use super::forwarded::TrustedProxies;
use super::registry::{Admitted, Busy, Caps, Registry};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use http_body_util::BodyExt as _;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// How connections are bounded.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Open connections at most; well under the process's 1024 descriptors.
    pub max_connections: usize,
    /// Open connections at most from one address (an IPv6 /64), so that one
    /// client's churn closes its own idle connections and no one else's.
    pub per_address: usize,
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
    per_address: 64,
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

/// How a listener serves, beyond its [`Limits`].
#[derive(Clone, Default)]
pub(crate) struct Options {
    /// Serve over TLS (the handshake must finish within the header timeout,
    /// or the connection is dropped).
    pub tls: Option<tokio_rustls::TlsAcceptor>,
    /// Reverse proxies: not held to the per-address cap, and their
    /// `X-Forwarded-For` names the client handlers see.
    pub proxies: TrustedProxies,
}

/// Accepts and serves connections on `listener` with `router`, for ever.
pub(crate) async fn serve(listener: TcpListener, router: Router, limits: Limits) {
    serve_with(listener, router, limits, Options::default()).await
}

/// As [`serve`], with TLS and trusted proxies as `options` say.
pub(crate) async fn serve_with(listener: TcpListener, router: Router, limits: Limits, options: Options) {
    let live = Registry::default();
    let caps = Caps {
        total: limits.max_connections,
        per_address: limits.per_address,
    };
    let mut errors = ErrorLog::default();
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                let exempt = options.proxies.contains(peer.ip());
                let Some(admitted) = live.admit(peer.ip(), exempt, caps) else {
                    // Every connection in the way is serving a request:
                    // the newcomer goes, not someone's upload.
                    tracing::debug!(%peer, "connection refused: all connections busy");
                    continue;
                };
                if admitted.made_room {
                    // Let the evicted task close its socket before the next
                    // accept, or a burst of accepts holds descriptors for
                    // connections already given up.
                    tokio::task::yield_now().await;
                }
                let served = Served {
                    router: router.clone(),
                    proxies: options.proxies.clone(),
                    peer,
                    limits,
                };
                tokio::spawn(accepted(stream, options.tls.clone(), served, admitted));
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
            // oldest idle one goes; then a pause before trying again.
            Err(e) => {
                errors.note(&e);
                live.evict_oldest_idle();
                tokio::time::sleep(ACCEPT_PAUSE).await;
            }
        }
    }
}

/// What serving one connection needs.
#[derive(Clone)]
struct Served {
    router: Router,
    proxies: TrustedProxies,
    peer: SocketAddr,
    limits: Limits,
}

/// Serves an accepted connection, after its TLS handshake when there is one.
async fn accepted(
    stream: tokio::net::TcpStream,
    tls: Option<tokio_rustls::TlsAcceptor>,
    served: Served,
    admitted: Admitted,
) {
    // Small answers: send them now rather than waiting for more to coalesce.
    let _ = stream.set_nodelay(true);
    let Some(tls) = tls else {
        return connection(stream, served, admitted).await;
    };
    let peer = served.peer;
    match tokio::time::timeout(served.limits.header_read_timeout, tls.accept(stream)).await {
        Ok(Ok(stream)) => connection(stream, served, admitted).await,
        Ok(Err(e)) => tracing::debug!(%peer, "TLS handshake failed: {e}"),
        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
    }
}

/// Serves one connection until it ends, is evicted, or outlives
/// `limits.lifetime`. Handlers find the client's address (the peer's, or
/// behind a trusted proxy the one it forwards) as axum's `ConnectInfo`.
async fn connection<IO>(stream: IO, served: Served, admitted: Admitted)
where
    IO: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let Admitted {
        slot: _slot,
        mut evicted,
        busy,
        ..
    } = admitted;
    let limits = served.limits;
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_buf_size)
        .keep_alive(true);
    let service = tower::service_fn(move |request| respond(request, &served, &busy));
    let conn = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        result = conn.as_mut() => {
            if let Err(e) = result {
                tracing::debug!("connection ended: {e}");
            }
        }
        // Evicted (or the registry dropped our sender): dropping the
        // connection closes the socket at once.
        _ = &mut evicted => tracing::debug!("idle connection closed for a newer one"),
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

/// Answers one request, the connection marked busy from its head until its
/// response body has been written (or abandoned).
fn respond(
    mut request: hyper::Request<hyper::body::Incoming>,
    served: &Served,
    busy: &Busy,
) -> impl std::future::Future<Output = Result<axum::response::Response, std::convert::Infallible>> {
    let working = busy.start();
    let client = served.proxies.client(served.peer.ip(), request.headers());
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::new(client, served.peer.port())));
    let router = served.router.clone();
    async move {
        let response = tower::ServiceExt::oneshot(router, request).await?;
        Ok(response.map(move |body| {
            Body::new(body.map_frame(move |frame| {
                // Held by the body, so the connection counts as busy until
                // the last byte of the answer is out.
                let _ = &working;
                frame
            }))
        }))
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
            tracing::warn!("cannot accept a connection: {e}; retrying");
        } else {
            tracing::warn!(
                "cannot accept a connection: {e}; retrying \
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
