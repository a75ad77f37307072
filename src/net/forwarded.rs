//! The client's own address behind a trusted reverse proxy.
//!
//! Behind nginx every connection comes from the proxy, so counting logins
//! (or anything else) by the connection's address would count all clients
//! as one. A proxy named as trusted appends the address it was reached from
//! to `X-Forwarded-For`; reading that header from right to left and skipping
//! the trusted proxies gives the first address nobody trusted vouches
//! against, which is the client's. The header is read only from a trusted
//! peer: anyone else could write any address into it.

use axum::http::HeaderMap;
use std::net::IpAddr;
use std::sync::Arc;

/// The addresses of the reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Arc<[IpAddr]>);

impl TrustedProxies {
    /// Trusts exactly `addresses`.
    pub fn new(addresses: Vec<IpAddr>) -> Self {
        TrustedProxies(addresses.into())
    }

    /// Whether `ip` is one of them (an IPv4-mapped IPv6 address as its IPv4 one).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|t| t.to_canonical() == ip)
    }

    /// The client's address for a request that came from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        let mut client = peer;
        for hop in hops.iter().rev() {
            // An unreadable hop ends the chain: what lies left of it was
            // written by someone we cannot place, so the last good one counts.
            let Ok(ip) = hop.parse::<IpAddr>() else {
                break;
            };
            client = ip;
            if !self.contains(ip) {
                break;
            }
        }
        client
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn the_client_is_the_first_untrusted_hop_from_the_right() {
        let proxies = TrustedProxies::new(vec![ip("127.0.0.1"), ip("10.0.0.2")]);
        let spoofed = forwarded("6.6.6.6, 203.0.113.7, 10.0.0.2");
        assert_eq!(proxies.client(ip("127.0.0.1"), &spoofed), ip("203.0.113.7"));
        assert_eq!(
            proxies.client(ip("::ffff:127.0.0.1"), &forwarded("203.0.113.8")),
            ip("203.0.113.8")
        );
        // Not from a trusted proxy: the header is anyone's word.
        assert_eq!(proxies.client(ip("198.51.100.1"), &spoofed), ip("198.51.100.1"));
        // No header, or nothing readable: the proxy itself.
        assert_eq!(
            proxies.client(ip("127.0.0.1"), &HeaderMap::new()),
            ip("127.0.0.1")
        );
        assert_eq!(
            proxies.client(ip("127.0.0.1"), &forwarded("junk, 203.0.113.9")),
            ip("203.0.113.9")
        );
        assert_eq!(
            proxies.client(ip("127.0.0.1"), &forwarded("junk")),
            ip("127.0.0.1")
        );
        assert_eq!(
            TrustedProxies::default().client(ip("127.0.0.1"), &spoofed),
            ip("127.0.0.1")
        );
    }
}
