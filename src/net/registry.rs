//! The live connections of one listener: which are idle and which are
//! serving a request, and how many each address holds, so that making room
//! for a new connection never cuts a request in progress.
//!
//! A connection is *busy* from the moment its request head is complete
//! until its response has been written (an upload's body, however slow, is
//! part of its request). Everything else is idle: a keep-alive wait, a head
//! still arriving, a TLS handshake. When a cap is reached the oldest idle
//! connection goes; when every connection is busy the newcomer is refused
//! instead, so a flood of new connections can deny only new connections,
//! never an upload under way.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::oneshot;

/// The address a connection counts against: an IPv4 address as it is, an
/// IPv6 address by its /64 (one host holds a whole /64, so counting single
/// IPv6 addresses would give a flooder billions of fresh ones).
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// How many requests a connection is serving (0: idle). Shared between the
/// registry and the connection's service.
#[derive(Clone, Default)]
pub(crate) struct Busy(Arc<AtomicUsize>);

impl Busy {
    /// Marks a request in progress until the returned guard is dropped.
    pub(crate) fn start(&self) -> BusyGuard {
        self.0.fetch_add(1, Ordering::AcqRel);
        BusyGuard(self.0.clone())
    }

    fn is_idle(&self) -> bool {
        self.0.load(Ordering::Acquire) == 0
    }
}

/// A request in progress; dropped when its response is written (or the
/// request is abandoned).
pub(crate) struct BusyGuard(Arc<AtomicUsize>);

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The caps a registry admits new connections under.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Caps {
    /// Connections at most, all addresses together.
    pub total: usize,
    /// Connections at most from one address (see [`address_key`]), except
    /// the exempt ones (trusted proxies).
    pub per_address: usize,
}

/// The live connections, oldest first.
#[derive(Clone, Default)]
pub(crate) struct Registry(Arc<Mutex<Live>>);

#[derive(Default)]
struct Live {
    next_id: u64,
    connections: BTreeMap<u64, Entry>,
    per_address: HashMap<IpAddr, usize>,
}

struct Entry {
    evict: oneshot::Sender<()>,
    busy: Busy,
    /// `None` for an exempt address.
    address: Option<IpAddr>,
}

/// An admitted connection: its place (given up when dropped), the receiver
/// that tells it to close, and its busy counter.
pub(crate) struct Admitted {
    pub slot: Slot,
    pub evicted: oneshot::Receiver<()>,
    pub busy: Busy,
    /// Whether an idle connection was closed to make room.
    pub made_room: bool,
}

impl Live {
    /// Evicts the oldest idle connection that `matches`; whether there was one.
    fn evict_idle(&mut self, matches: impl Fn(&Entry) -> bool) -> bool {
        let id = self
            .connections
            .iter()
            .find(|(_, e)| e.busy.is_idle() && matches(e))
            .map(|(id, _)| *id);
        match id.and_then(|id| self.remove(id)) {
            Some(entry) => {
                let _ = entry.evict.send(());
                true
            }
            None => false,
        }
    }

    fn remove(&mut self, id: u64) -> Option<Entry> {
        let entry = self.connections.remove(&id)?;
        if let Some(address) = entry.address {
            if let Some(n) = self.per_address.get_mut(&address) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    self.per_address.remove(&address);
                }
            }
        }
        Some(entry)
    }
}

impl Registry {
    fn lock(&self) -> MutexGuard<'_, Live> {
        // The maps stay consistent even if a holder panicked.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Connections now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().connections.len()
    }

    /// Connections now from `ip`'s address.
    #[cfg(test)]
    pub(crate) fn held_by(&self, ip: IpAddr) -> usize {
        let key = address_key(ip);
        self.lock().per_address.get(&key).copied().unwrap_or(0)
    }

    /// Admits a connection from `ip` (`exempt`: not counted per address)
    /// under `caps`, closing the oldest idle connection of that address, or
    /// else of all, when a cap is reached; `None` when every connection in
    /// the way is busy.
    pub(crate) fn admit(&self, ip: IpAddr, exempt: bool, caps: Caps) -> Option<Admitted> {
        let address = (!exempt).then(|| address_key(ip));
        let mut live = self.lock();
        let mut made_room = false;
        if let Some(address) = address {
            let held = live.per_address.get(&address).copied().unwrap_or(0);
            if held >= caps.per_address.max(1) {
                if !live.evict_idle(|e| e.address == Some(address)) {
                    return None;
                }
                made_room = true;
            }
        }
        if live.connections.len() >= caps.total.max(1) {
            if !live.evict_idle(|_| true) {
                return None;
            }
            made_room = true;
        }
        let id = live.next_id;
        live.next_id += 1;
        let (tx, evicted) = oneshot::channel();
        let busy = Busy::default();
        live.connections.insert(
            id,
            Entry {
                evict: tx,
                busy: busy.clone(),
                address,
            },
        );
        if let Some(address) = address {
            *live.per_address.entry(address).or_default() += 1;
        }
        Some(Admitted {
            slot: Slot {
                registry: self.clone(),
                id,
            },
            evicted,
            busy,
            made_room,
        })
    }

    /// Tells the oldest idle connection to close; false when there is none.
    pub(crate) fn evict_oldest_idle(&self) -> bool {
        self.lock().evict_idle(|_| true)
    }
}

/// A connection's place in the registry, given up when its task ends.
pub(crate) struct Slot {
    registry: Registry,
    id: u64,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.registry.lock().remove(self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAPS: Caps = Caps {
        total: 3,
        per_address: 2,
    };

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_oldest_idle_connection_makes_room_and_a_busy_one_never_does() {
        let live = Registry::default();
        let mut first = live.admit(ip("10.0.0.1"), false, CAPS).unwrap();
        let second = live.admit(ip("10.0.0.2"), false, CAPS).unwrap();
        let mut third = live.admit(ip("10.0.0.3"), false, CAPS).unwrap();
        let _working = first.busy.start();
        let fourth = live.admit(ip("10.0.0.4"), false, CAPS).unwrap();
        assert!(fourth.made_room);
        assert!(first.evicted.try_recv().is_err(), "the busy oldest stays");
        drop(second);
        assert!(third.evicted.try_recv().is_err());
        let _also_working = third.busy.start();
        let _working_too = fourth.busy.start();
        assert_eq!(live.len(), 3);
        assert!(
            live.admit(ip("10.0.0.5"), false, CAPS).is_none(),
            "all busy: the newcomer is refused"
        );
        assert!(!live.evict_oldest_idle());
    }

    #[test]
    fn an_address_at_its_cap_gives_up_its_own_idle_connection() {
        let live = Registry::default();
        let caps = Caps {
            total: 10,
            per_address: 2,
        };
        let mut other = live.admit(ip("10.0.0.9"), false, caps).unwrap();
        let mut a = live.admit(ip("2001:db8::1"), false, caps).unwrap();
        let _b = live.admit(ip("2001:db8::2"), false, caps).unwrap();
        assert_eq!(live.held_by(ip("2001:db8::ffff")), 2, "one /64");
        let c = live.admit(ip("2001:db8::3"), false, caps).unwrap();
        assert!(c.made_room);
        assert_eq!(a.evicted.try_recv(), Ok(()), "its own oldest went");
        assert!(other.evicted.try_recv().is_err(), "not another address's");
        let _c_busy = c.busy.start();
        assert_eq!(live.held_by(ip("2001:db8::1")), 2);
        // An exempt address (a trusted proxy) is not held to the cap.
        for _ in 0..5 {
            assert!(live
                .admit(ip("10.0.0.9"), true, caps)
                .is_some_and(|n| !n.made_room));
        }
    }

    #[test]
    fn finished_connections_leave_the_counts() {
        let live = Registry::default();
        let a = live.admit(ip("::ffff:10.0.0.1"), false, CAPS).unwrap();
        assert_eq!(live.held_by(ip("10.0.0.1")), 1, "v4-mapped is v4");
        drop(a);
        assert_eq!(live.len(), 0);
        assert_eq!(live.held_by(ip("10.0.0.1")), 0);
    }
}
