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
use ipnet::IpNet;
use std::net::IpAddr;
use std::sync::Arc;

/// The networks of the reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Arc<[IpNet]>);

/// A trusted proxy as given on the command line: `10.0.0.0/8`, `::1/128`,
/// or one address (`127.0.0.1`, a network of that one address).
pub fn parse_proxy(text: &str) -> Result<IpNet, String> {
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{text}` is not an address or a CIDR network (e.g. 10.0.0.0/8)"))
}

impl TrustedProxies {
    /// Trusts exactly the addresses in `networks`.
    pub fn new(networks: Vec<IpNet>) -> Self {
        TrustedProxies(networks.into())
    }

    /// Whether `ip` is in one of them (an IPv4-mapped IPv6 address as its IPv4 one).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|t| t.contains(&ip))
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
    fn proxies_are_addresses_or_networks() {
        let nets = TrustedProxies::new(vec![
            parse_proxy("10.1.0.0/16").unwrap(),
            parse_proxy("::1").unwrap(),
        ]);
        assert!(nets.contains(ip("10.1.200.3")) && nets.contains(ip("::1")));
        assert!(!nets.contains(ip("10.2.0.1")) && !nets.contains(ip("127.0.0.1")));
        assert!(parse_proxy("10.0.0.0/33").is_err() && parse_proxy("nginx").is_err());
    }

    #[test]
    fn the_client_is_the_first_untrusted_hop_from_the_right() {
        let proxies = TrustedProxies::new(vec![
            parse_proxy("127.0.0.1").unwrap(),
            parse_proxy("10.0.0.0/30").unwrap(),
        ]);
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
