//! Fetching a page over HTTP(S) exactly as the server sent it, with every
//! redirect recorded (spec §6.3). Nothing is stored here; `pack` turns a
//! [`Fetched`] into a bundle.
//!
//! Privacy: requests carry no cookies and no headers beyond `User-Agent`,
//! `Accept` and `Accept-Encoding: gzip`; only the URL given and its
//! redirects are contacted.

mod net;
pub mod warc;

pub use net::is_public;

use std::io::Read;

use std::time::Duration;
use ureq::unversioned::transport::Connector as _;

use chrono::{DateTime, Utc};

/// The `User-Agent` sent unless the caller sets another.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "provseal/",
    env!("CARGO_PKG_VERSION"),
    " (evidence capture; sends no cookies)"
);

/// The `Accept` header sent.
pub const ACCEPT: &str = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1";

/// The `Accept-Encoding` header sent: gzip only, which `fetch` decodes
/// itself so that the WARC keeps the bytes as sent.
pub const ACCEPT_ENCODING: &str = "gzip";

/// Limits and choices for one fetch.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FetchOptions {
    /// The whole fetch, every redirect and every body together, ends
    /// within this time.
    pub timeout: Duration,
    /// Largest body accepted, both as transferred and after gzip decoding.
    pub max_bytes: u64,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Statuses outside 2xx that are kept as evidence instead of refused.
    pub allow_status: Vec<u16>,
    /// Most redirects followed.
    pub max_redirects: usize,
    /// Follow a redirect to another origin even when its host resolves to
    /// a loopback, private, link-local or unique-local address. Off by
    /// default: a page must not be able to turn the capture against the
    /// capturer's own network.
    pub allow_private_redirects: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            max_bytes: 50 << 20,
            user_agent: DEFAULT_USER_AGENT.into(),
            allow_status: Vec::new(),
            max_redirects: 10,
            allow_private_redirects: false,
        }
    }
}

/// One request and its response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// The URL requested.
    pub url: String,
    /// Request headers as sent, in order (including `Host`).
    pub request_headers: Vec<(String, String)>,
    /// The request exactly as it was written to the connection (request
    /// line and headers); empty when it was not recorded, and the WARC
    /// then rebuilds it from `request_headers`.
    pub request_head: Vec<u8>,
    /// HTTP version of the response, e.g. `HTTP/1.1`.
    pub http_version: String,
    /// Response status code.
    pub status: u16,
    /// Response reason phrase.
    pub reason: String,
    /// Response headers as received, in order.
    pub response_headers: Vec<(String, String)>,
    /// The response body exactly as transferred (content-encoding kept,
    /// transfer-encoding removed).
    pub body: Vec<u8>,
    /// When the response arrived.
    pub retrieved_at: DateTime<Utc>,
}

impl Exchange {
    /// The first value of a response header, case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The media type of the response, lower-cased, without parameters.
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type")
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .filter(|v| !v.is_empty())
    }

    /// The `charset` parameter of `Content-Type`, if any.
    pub fn charset(&self) -> Option<String> {
        let ct = self.header("content-type")?;
        ct.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| v.trim().trim_matches('"').to_string())
        })
    }
}

/// A fetch: every hop, the last being the page itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// Redirects first, the final response last. Never empty.
    pub exchanges: Vec<Exchange>,
    /// The final body with any gzip content-encoding decoded.
    pub body: Vec<u8>,
}

impl Fetched {
    /// The final response.
    pub fn last(&self) -> &Exchange {
        self.exchanges
            .last()
            .expect("a Fetched always holds at least one exchange")
    }
}

/// Why a capture failed. Each names the URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// Not an absolute http(s) URL.
    #[error("{0}: not an absolute http or https URL")]
    BadUrl(String),
    /// DNS found no such host.
    #[error("{0}: the host name could not be resolved")]
    HostNotFound(String),
    /// No connection could be made (refused, unreachable).
    #[error("{0}: could not connect: {1}")]
    Connect(String, String),
    /// The TLS handshake or certificate check failed.
    #[error("{0}: TLS failed: {1}")]
    Tls(String, String),
    /// The server took longer than the timeout.
    #[error("{0}: timed out after {1} s")]
    Timeout(String, u64),
    /// A status outside 2xx that was not allowed.
    #[error("{0}: the server answered {1} {2} (use --allow-status {1} to keep it as evidence)")]
    Status(String, u16, String),
    /// The body is larger than the limit.
    #[error("{0}: the body is larger than {1} bytes (raise --max-bytes to keep it)")]
    TooLarge(String, u64),
    /// A redirect returned to a URL already visited.
    #[error("{0}: redirect loop")]
    RedirectLoop(String),
    /// More redirects than allowed.
    #[error("{0}: more than {1} redirects")]
    TooManyRedirects(String, usize),
    /// A URL with a user name or password in it: the client would send
    /// them as an `Authorization` header, which is not evidence to keep.
    #[error(
        "{0}: a URL with a user name or password is not captured (they would be sent to the server and kept in the evidence)"
    )]
    Credentials(String),
    /// A redirect to another origin whose host resolves to an address
    /// that is not public.
    #[error(
        "{url}: refused: a redirect to another site whose host {host} resolves to {address}, which is not on the public internet (use --allow-private-redirects to follow it)"
    )]
    PrivateRedirect {
        /// The URL redirected to.
        url: String,
        /// Its host.
        host: String,
        /// The address refused.
        address: std::net::IpAddr,
    },
    /// A redirect without a usable `Location`.
    #[error("{0}: a redirect with no usable Location header")]
    BadRedirect(String),
    /// The content is not a page provseal can extract an article from.
    #[error("{0}: the content type {1} is not HTML or plain text")]
    NotHtml(String, String),
    /// Anything else the HTTP layer reported.
    #[error("{0}: {1}")]
    Http(String, String),
}

/// Where in an exchange an error happened: an https connection that breaks
/// off before any response is a failed handshake; one that breaks off while
/// the body arrives is not.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Connect,
    Body,
}

fn classify(url: &str, e: ureq::Error, timeout: Duration, stage: Stage) -> CaptureError {
    let url = url.to_string();
    match e {
        ureq::Error::HostNotFound => CaptureError::HostNotFound(url),
        ureq::Error::ConnectionFailed => CaptureError::Connect(url, "connection failed".into()),
        ureq::Error::Timeout(_) => CaptureError::Timeout(url, timeout.as_secs()),
        ureq::Error::BodyExceedsLimit(n) => CaptureError::TooLarge(url, n),
        ureq::Error::Tls(m) => CaptureError::Tls(url, m.into()),
        ureq::Error::Rustls(e) => CaptureError::Tls(url, e.to_string()),
        ureq::Error::BadUri(m) => CaptureError::BadUrl(format!("{url} ({m})")),
        ureq::Error::Io(e) => match e.kind() {
            std::io::ErrorKind::ConnectionRefused => {
                CaptureError::Connect(url, "connection refused".into())
            }
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                CaptureError::Timeout(url, timeout.as_secs())
            }
            // e.g. the server does not speak TLS at all.
            _ if stage == Stage::Connect && url.starts_with("https://") => {
                CaptureError::Tls(url, format!("the handshake failed: {e}"))
            }
            _ => CaptureError::Http(url, e.to_string()),
        },
        other => {
            let text = other.to_string();
            if text.to_ascii_lowercase().contains("tls") || text.contains("certificate") {
                CaptureError::Tls(url, text)
            } else {
                CaptureError::Http(url, text)
            }
        }
    }
}

/// The URL without any user name or password, for messages.
fn without_credentials(u: &url::Url) -> String {
    let mut u = u.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.to_string()
}

fn parse_target(url: &str) -> Result<url::Url, CaptureError> {
    let u = url::Url::parse(url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .ok_or_else(|| CaptureError::BadUrl(url.to_string()))?;
    if !u.username().is_empty() || u.password().is_some() {
        return Err(CaptureError::Credentials(without_credentials(&u)));
    }
    Ok(u)
}

/// Fetches `url`, following redirects by hand so that each hop is recorded.
/// `clock` gives each response's retrieval time. The URL given and its
/// origin may be anywhere; a redirect to another origin must resolve to
/// public addresses only, unless `allow_private_redirects`.
// Long (~130 lines) by reason: one loop over the redirect hops with one
// deadline, one address check per hop and one record per exchange; split,
// the hop state (the URL, the remaining time, the chain) would be passed
// around instead of read in one place.
pub fn fetch(
    url: &str,
    opts: &FetchOptions,
    clock: &dyn Fn() -> DateTime<Utc>,
) -> Result<Fetched, CaptureError> {
    let deadline = std::time::Instant::now() + opts.timeout;
    let guard = net::Guard::default();
    let sent = net::Sent::default();
    let config = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .proxy(None)
        .user_agent(opts.user_agent.as_str())
        .accept(ACCEPT)
        .build();
    let connector = ureq::unversioned::transport::DefaultConnector::default()
        .chain(net::Recorder { sent: sent.clone() });
    let agent = ureq::Agent::with_parts(
        config,
        connector,
        net::GuardedResolver {
            guard: guard.clone(),
        },
    );
    let mut exchanges: Vec<Exchange> = Vec::new();
    let first = parse_target(url)?;
    let mut current = first.clone();
    loop {
        let here = current.to_string();
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(CaptureError::Timeout(here, opts.timeout.as_secs()));
        }
        guard.allow_private(opts.allow_private_redirects || current.origin() == first.origin());
        sent.clear();
        let call = agent
            .get(here.as_str())
            .header("Accept-Encoding", ACCEPT_ENCODING)
            .config()
            .timeout_global(Some(left))
            .build()
            .call();
        let mut resp = match call {
            Ok(r) => r,
            Err(e) => {
                if let Some((host, address)) = guard.refused() {
                    return Err(CaptureError::PrivateRedirect {
                        url: here,
                        host,
                        address,
                    });
                }
                return Err(classify(&here, e, opts.timeout, Stage::Connect));
            }
        };
        let request_head = sent.take();
        let request_headers = net::parse_head(&request_head);
        let status = resp.status();
        let http_version = format!("{:?}", resp.version());
        let response_headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = resp
            .body_mut()
            .with_config()
            .limit(opts.max_bytes)
            .read_to_vec()
            .map_err(|e| classify(&here, e, opts.timeout, Stage::Body))?;
        let exchange = Exchange {
            url: here.clone(),
            request_headers,
            request_head,
            http_version,
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_string(),
            response_headers,
            body,
            retrieved_at: clock(),
        };
        let location = exchange.header("location").map(str::to_string);
        exchanges.push(exchange);
        if status.is_redirection() && status.as_u16() != 304 {
            let next = location
                .and_then(|l| current.join(&l).ok())
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| CaptureError::BadRedirect(here.clone()))?;
            if !next.username().is_empty() || next.password().is_some() {
                return Err(CaptureError::Credentials(without_credentials(&next)));
            }
            if exchanges.iter().any(|e| e.url == next.as_str()) {
                return Err(CaptureError::RedirectLoop(next.to_string()));
            }
            if exchanges.len() > opts.max_redirects {
                return Err(CaptureError::TooManyRedirects(
                    url.to_string(),
                    opts.max_redirects,
                ));
            }
            current = next;
            continue;
        }
        break;
    }
    let last = exchanges.last().expect("the loop pushes before it breaks");
    if !(200..300).contains(&last.status) && !opts.allow_status.contains(&last.status) {
        return Err(CaptureError::Status(
            last.url.clone(),
            last.status,
            last.reason.clone(),
        ));
    }
    let media = last.media_type();
    let acceptable = match media.as_deref() {
        Some("text/html" | "application/xhtml+xml" | "text/plain") => true,
        Some(_) => false,
        None => {
            crate::extract::InputKind::detect(None, &last.body) == crate::extract::InputKind::Html
        }
    };
    if !acceptable {
        return Err(CaptureError::NotHtml(
            last.url.clone(),
            media.unwrap_or_else(|| "(none)".into()),
        ));
    }
    let body = decode_content(last, opts.max_bytes)?;
    Ok(Fetched { exchanges, body })
}

/// Undoes a gzip `Content-Encoding`, refusing to inflate past `max_bytes`.
fn decode_content(e: &Exchange, max_bytes: u64) -> Result<Vec<u8>, CaptureError> {
    match e
        .header("content-encoding")
        .map(|v| v.trim().to_ascii_lowercase())
    {
        None => Ok(e.body.clone()),
        Some(enc) if enc == "identity" => Ok(e.body.clone()),
        Some(enc) if enc == "gzip" || enc == "x-gzip" => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&e.body[..])
                .take(max_bytes + 1)
                .read_to_end(&mut out)
                .map_err(|err| {
                    CaptureError::Http(e.url.clone(), format!("bad gzip body: {err}"))
                })?;
            if out.len() as u64 > max_bytes {
                return Err(CaptureError::TooLarge(e.url.clone(), max_bytes));
            }
            Ok(out)
        }
        Some(other) => Err(CaptureError::Http(
            e.url.clone(),
            format!("unsupported content encoding {other:?}"),
        )),
    }
}
