//! What the capture's HTTP client may connect to, and what it sent.
//!
//! A page can redirect the capture anywhere, including to a service on
//! the capturer's own network (a router's admin page, a metadata service,
//! an intranet wiki) whose answer would then become signed evidence. So
//! every address a redirect to another origin resolves to is judged, by
//! the resolver the client connects through: the addresses judged are the
//! addresses connected to, whatever the name says and however often its
//! DNS answer changes.
//!
//! The client's writes are recorded as they go to the connection (inside
//! TLS), so the WARC keeps exactly the request bytes that were sent.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex, PoisonError};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

/// Whether an IPv4 address is on the public internet: not loopback,
/// private (RFC 1918), shared (RFC 6598), link-local, unspecified,
/// broadcast, multicast, reserved, or a documentation or benchmarking
/// range.
fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

/// Whether an address is on the public internet. IPv6 addresses that
/// embed an IPv4 one (mapped, compatible, NAT64, 6to4) are judged by it.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            if let Some(v4) = v6.to_ipv4_mapped() {
                return public_v4(v4);
            }
            let embedded = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
            if s[..6] == [0; 6] {
                // ::a.b.c.d (compatible), :: and ::1.
                return !v6.is_unspecified()
                    && !v6.is_loopback()
                    && public_v4(embedded(s[6], s[7]));
            }
            if s[0] == 0x64 && s[1] == 0xff9b {
                return public_v4(embedded(s[6], s[7]));
            }
            if s[0] == 0x2002 {
                return public_v4(embedded(s[1], s[2]));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (s[0] == 0x2001 && s[1] == 0x0db8)) // documentation
        }
    }
}

/// The rule for the next connection, and what it refused.
#[derive(Debug, Default)]
struct Rule {
    /// Addresses that are not public are allowed (the user's own URL and
    /// its origin, or `--allow-private-redirects`).
    allow_private: bool,
    /// The first address refused, and the host that resolved to it.
    refused: Option<(String, IpAddr)>,
}

/// Shared between the client's resolver and the fetch loop, which sets
/// the rule before each hop.
#[derive(Debug, Clone, Default)]
pub(super) struct Guard(Arc<Mutex<Rule>>);

impl Guard {
    pub(super) fn allow_private(&self, allow: bool) {
        let mut r = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        r.allow_private = allow;
        r.refused = None;
    }

    /// The address refused for the last hop, if any.
    pub(super) fn refused(&self) -> Option<(String, IpAddr)> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .refused
            .clone()
    }
}

/// The resolver the client connects through: the system's, then the rule.
#[derive(Debug)]
pub(super) struct GuardedResolver {
    pub(super) guard: Guard,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = DefaultResolver::default().resolve(uri, config, timeout)?;
        let mut rule = self.guard.0.lock().unwrap_or_else(PoisonError::into_inner);
        if !rule.allow_private
            && let Some(bad) = addrs.iter().find(|a| !is_public(a.ip()))
        {
            let host = uri.host().unwrap_or("").to_string();
            rule.refused = Some((host, bad.ip()));
            return Err(ureq::Error::ConnectionFailed);
        }
        Ok(addrs)
    }
}

/// The bytes the client wrote for the current request.
#[derive(Debug, Clone, Default)]
pub(super) struct Sent(Arc<Mutex<Vec<u8>>>);

impl Sent {
    /// Forgets what was sent before: a new request begins.
    pub(super) fn clear(&self) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// What was sent since [`Sent::clear`].
    pub(super) fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// A connector that wraps the connection (after TLS) to record writes.
#[derive(Debug)]
pub(super) struct Recorder {
    pub(super) sent: Sent,
}

impl Connector<Box<dyn Transport>> for Recorder {
    type Out = Box<dyn Transport>;

    fn connect(
        &self,
        _details: &ConnectionDetails,
        chained: Option<Box<dyn Transport>>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|inner| {
            Box::new(Recording {
                inner,
                sent: self.sent.clone(),
            }) as Box<dyn Transport>
        }))
    }
}

#[derive(Debug)]
struct Recording {
    inner: Box<dyn Transport>,
    sent: Sent,
}

impl Transport for Recording {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let out = self.inner.buffers().output();
        let n = amount.min(out.len());
        self.sent
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(&out[..n]);
        self.inner.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

/// The header lines of a request head as sent: `(name, value)` in order,
/// names as written. The request line and anything after the blank line
/// are not headers.
pub(super) fn parse_head(head: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(head);
    let headers = text.split("\r\n\r\n").next().unwrap_or("");
    headers
        .split("\r\n")
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.to_string(), v.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_judged_as_public_or_not() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "fc00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:c0a8:0101::1",
            "::127.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn request_heads_are_read_as_sent() {
        let head = b"GET /a HTTP/1.1\r\nhost: x:1\r\nuser-agent: p\r\n\r\n";
        assert_eq!(
            parse_head(head),
            vec![
                ("host".into(), "x:1".into()),
                ("user-agent".into(), "p".into())
            ]
        );
    }
}
