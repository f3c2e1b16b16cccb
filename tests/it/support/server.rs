//! A real HTTP/1.1 server on loopback for capture tests: fixture pages,
//! redirects, gzip, legacy charsets, slow and oversized bodies, errors.
//! It records every request's headers so tests can check what was sent.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// Each request received: its path and its headers, in order.
pub type RequestLog = Arc<Mutex<Vec<(String, Vec<(String, String)>)>>>;

/// Each request head received, byte for byte (request line, headers and
/// the blank line), in the order the requests arrived.
pub type RawLog = Arc<Mutex<Vec<Vec<u8>>>>;

/// A running server; it lives until the test process ends.
pub struct Server {
    pub base: String,
    pub requests: RequestLog,
    #[allow(dead_code)]
    pub raw: RawLog,
}

pub const ARTICLE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pier reopens after repairs | Loopback News</title>\
<meta property=\"og:site_name\" content=\"Loopback News\"><meta property=\"article:published_time\" content=\"2024-05-02T09:00:00+00:00\">\
<meta name=\"author\" content=\"Test Writer\"></head><body><nav>Home | Coast</nav><article><h1>Pier reopens after repairs</h1>\
<p>The pier reopened on Thursday after a month of repairs, the harbour office said in a statement to reporters.</p>\
<p>Fishing boats returned to their moorings within hours, and the ferry resumed its timetable the same afternoon.</p>\
<p>This page is a fixture written for provseal's capture tests; it is served only on the loopback interface.</p>\
</article><footer>Loopback News</footer></body></html>";

/// A repost of [`ARTICLE`] on another site, cut after its first paragraph.
pub const REPOST: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pier reopens after repairs</title></head>\
<body><div class=\"portal\"><article><h1>Pier reopens after repairs</h1>\
<p>The pier reopened on Thursday after a month of repairs, the harbour office said in a statement to reporters. ....</p>\
</article></div></body></html>";

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("transfer-encoding"))
    {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

/// Routes whose answer depends on the path: redirects to another server
/// (`/to/PORT/PATH` by address, `/to-localhost/PORT/PATH` by name), a
/// redirect carrying credentials (`/cred/PORT`), and a chain of slow hops
/// (`/hop/N`: 0.6 s each, then the article).
fn dynamic(path: &str, stream: &mut TcpStream) -> bool {
    let redirect = |stream: &mut TcpStream, to: String| {
        respond(stream, "302 Found", &[("Location", to)], b"");
    };
    let split = |rest: &str| -> (String, String) {
        let (port, tail) = rest.split_once('/').unwrap_or((rest, ""));
        (port.to_string(), format!("/{tail}"))
    };
    if let Some(rest) = path.strip_prefix("/to/") {
        let (port, tail) = split(rest);
        redirect(stream, format!("http://127.0.0.1:{port}{tail}"));
    } else if let Some(rest) = path.strip_prefix("/to-localhost/") {
        let (port, tail) = split(rest);
        redirect(stream, format!("http://localhost:{port}{tail}"));
    } else if let Some(port) = path.strip_prefix("/cred/") {
        redirect(
            stream,
            format!("http://reader:s3cret@127.0.0.1:{port}/article"),
        );
    } else if let Some(n) = path.strip_prefix("/hop/") {
        let n: u32 = n.parse().unwrap_or(0);
        thread::sleep(Duration::from_millis(600));
        if n == 0 {
            let html = ("Content-Type", "text/html; charset=utf-8".to_string());
            respond(stream, "200 OK", &[html], ARTICLE.as_bytes());
        } else {
            redirect(stream, format!("/hop/{}", n - 1));
        }
    } else {
        return false;
    }
    true
}

fn route(path: &str, stream: &mut TcpStream) {
    if dynamic(path, stream) {
        return;
    }
    let html = ("Content-Type", "text/html; charset=utf-8".to_string());
    match path {
        "/article" => respond(stream, "200 OK", &[html], ARTICLE.as_bytes()),
        "/moved" => respond(stream, "301 Moved Permanently", &[("Location", "/article".into())], b""),
        "/chain" => respond(stream, "302 Found", &[("Location", "/moved".into())], b""),
        "/loop-a" => respond(stream, "302 Found", &[("Location", "/loop-b".into())], b""),
        "/loop-b" => respond(stream, "302 Found", &[("Location", "/loop-a".into())], b""),
        "/gzip" => respond(stream, "200 OK", &[html, ("Content-Encoding", "gzip".into())], &gzip(ARTICLE.as_bytes())),
        "/latin1" => respond(
            stream,
            "200 OK",
            &[("Content-Type", "text/html; charset=iso-8859-1".into())],
            b"<html><head><title>Caf\xe9 reopens</title></head><body><article><p>The caf\xe9 on the quay reopened, and its owner served cr\xe8me br\xfbl\xe9e to the first guests of the season.</p></article></body></html>",
        ),
        "/chunked" => {
            let body = ARTICLE.as_bytes();
            let mut chunked = Vec::new();
            for part in body.chunks(100) {
                chunked.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
                chunked.extend_from_slice(part);
                chunked.extend_from_slice(b"\r\n");
            }
            chunked.extend_from_slice(b"0\r\n\r\n");
            respond(stream, "200 OK", &[html, ("Transfer-Encoding", "chunked".into())], &chunked);
        }
        "/plain" => respond(
            stream,
            "200 OK",
            &[("Content-Type", "text/plain; charset=utf-8".into())],
            b"Home > News > Loopback\n\nDate : May 2, 2024\nPier reopens after repairs\n  http://news.example.org/pier [7]\nBoats return within hours\n\nThe pier reopened on Thursday.\n\n[Source: Loopback News]\n\nPrev  Next\n",
        ),
        "/slow" => {
            thread::sleep(Duration::from_secs(4));
            respond(stream, "200 OK", &[html], ARTICLE.as_bytes());
        }
        "/big" => respond(stream, "200 OK", &[html], &vec![b'a'; 2 << 20]),
        "/bomb" => respond(stream, "200 OK", &[html, ("Content-Encoding", "gzip".into())], &gzip(&vec![b' '; 8 << 20])),
        "/missing" => respond(stream, "404 Not Found", &[html], b"<html><body><p>No such page.</p></body></html>"),
        "/broken" => respond(stream, "500 Internal Server Error", &[html], b"oops"),
        "/repost" => respond(stream, "200 OK", &[html], REPOST.as_bytes()),
        "/pdf" => respond(stream, "200 OK", &[("Content-Type", "application/pdf".into())], b"%PDF-1.4"),
        _ => respond(stream, "404 Not Found", &[], b""),
    }
}

/// Starts the server on an ephemeral loopback port.
pub fn start() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let requests: RequestLog = Arc::new(Mutex::new(Vec::new()));
    let raw: RawLog = Arc::new(Mutex::new(Vec::new()));
    let log = requests.clone();
    let raw_log = raw.clone();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let log = log.clone();
            let raw_log = raw_log.clone();
            thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let mut head = line.clone().into_bytes();
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                let mut headers = Vec::new();
                loop {
                    let mut h = String::new();
                    let n = reader.read_line(&mut h).unwrap_or(0);
                    head.extend_from_slice(h.as_bytes());
                    if n == 0 || h == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = h.trim_end().split_once(':') {
                        headers.push((k.trim().to_string(), v.trim().to_string()));
                    }
                }
                log.lock().unwrap().push((path.clone(), headers));
                raw_log.lock().unwrap().push(head);
                route(&path, &mut stream);
                let _ = stream.flush();
                let mut rest = [0u8; 16];
                let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
                let _ = reader.read(&mut rest);
            });
        }
    });
    Server {
        base,
        requests,
        raw,
    }
}

/// A loopback port with nothing listening on it.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}
