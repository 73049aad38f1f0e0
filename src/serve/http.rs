//! The HTTP/1.1 server under `serve`: std only, GET and HEAD, one request per connection.
//!
//! tiny_http (used before) starts a thread for every connection it accepts and offers no
//! bound: 3,000 half-open connections made 2,929 threads. No maintained small crate gives a
//! bounded, blocking server without an async runtime, and a preview server needs little, so
//! this is the whole of it: one thread accepts, a fixed pool of workers answers, a queue of
//! bounded length sits between (a connection that finds it full gets 503 at once), every read
//! and write has a time limit, the request head a size limit, and event streams (live reload)
//! have a bounded number of threads of their own.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Worker threads answering requests.
pub(super) const WORKERS: usize = 8;
/// Connections waiting for a worker; more get 503.
pub(super) const QUEUE: usize = 64;
/// The largest request head (request line and headers) read.
pub(super) const MAX_HEAD_BYTES: usize = 16 * 1024;
/// How long a client may take to send its request head.
pub(super) const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a client may take to take a response.
pub(super) const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Event streams (open pages waiting for a reload) served at once.
pub(super) const MAX_STREAMS: usize = 32;

/// A parsed request, with the connection to answer on.
pub(super) struct Request {
    /// `GET` or `HEAD` (anything else is answered 405 before a handler sees it).
    pub(super) method: String,
    /// The request target as sent (`/articles/x/?q`).
    pub(super) target: String,
    stream: TcpStream,
}

impl Request {
    /// Answers with `status`, `headers` and `body` (no body for HEAD), and closes.
    pub(super) fn respond(self, status: u16, headers: &[(&str, &str)], body: &[u8]) {
        let head_only = self.method == "HEAD";
        respond(self.stream, status, headers, body, head_only);
    }

    /// The connection, for a response streamed by the caller (Server-Sent Events).
    pub(super) fn into_stream(self) -> TcpStream {
        self.stream
    }
}

/// A server listening on an address.
pub(super) struct Server {
    listener: TcpListener,
}

impl Server {
    /// Listens on `addr`.
    pub(super) fn bind(addr: impl ToSocketAddrs) -> io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(addr)?,
        })
    }

    /// The address listened on.
    pub(super) fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Answers requests with `handler` until the listener fails; never returns otherwise.
    pub(super) fn run(self, handler: Arc<dyn Fn(Request) + Send + Sync>) {
        let (tx, rx) = sync_channel::<TcpStream>(QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..WORKERS {
            let rx = rx.clone();
            let handler = handler.clone();
            std::thread::spawn(move || worker(&rx, &*handler));
        }
        for conn in self.listener.incoming() {
            let Ok(stream) = conn else { continue };
            match tx.try_send(stream) {
                Ok(()) => {}
                Err(TrySendError::Full(stream)) => {
                    // Busy: say so without waiting on a client that may never read.
                    let _ = stream.set_nonblocking(true);
                    respond(stream, 503, &[("Retry-After", "1")], b"busy\n", false);
                }
                Err(TrySendError::Disconnected(_)) => return,
            }
        }
    }
}

/// Takes connections from the queue and answers each.
fn worker(rx: &Mutex<Receiver<TcpStream>>, handler: &(dyn Fn(Request) + Send + Sync)) {
    loop {
        let stream = match rx.lock() {
            Ok(rx) => rx.recv(),
            Err(e) => e.into_inner().recv(),
        };
        let Ok(stream) = stream else { return };
        if let Some(req) = read_request(stream) {
            handler(req);
        }
    }
}

/// Reads and checks one request head; answers 400, 405 or 431 itself. `None` when it answered
/// or the client went away.
fn read_request(mut stream: TcpStream) -> Option<Request> {
    stream.set_read_timeout(Some(READ_TIMEOUT)).ok()?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT)).ok()?;
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    let end = loop {
        if let Some(i) = find(&head, b"\r\n\r\n").or_else(|| find(&head, b"\n\n")) {
            break i;
        }
        if head.len() > MAX_HEAD_BYTES {
            respond(stream, 431, &[], b"request head too large\n", false);
            return None;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None, // closed or too slow: nobody to answer
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    };
    let Some((method, target)) = parse_request_line(&head[..end]) else {
        respond(stream, 400, &[], b"bad request\n", false);
        return None;
    };
    if method != "GET" && method != "HEAD" {
        // A preview server answers reads only: anything else is refused, not served a page.
        respond(
            stream,
            405,
            &[("Allow", "GET, HEAD")],
            b"only GET and HEAD are answered here\n",
            false,
        );
        return None;
    }
    Some(Request {
        method,
        target,
        stream,
    })
}

/// `METHOD TARGET HTTP/1.x` from the first line of a request head.
fn parse_request_line(head: &[u8]) -> Option<(String, String)> {
    let line = head.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?.trim_end_matches('\r');
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic());
    if parts.next().is_some()
        || !token(method)
        || !target.starts_with('/')
        || target.bytes().any(|b| b.is_ascii_control())
        || !(version == "HTTP/1.0" || version == "HTTP/1.1")
    {
        return None;
    }
    Some((method.to_string(), target.to_string()))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Writes a whole response and closes the connection.
fn respond(
    mut stream: TcpStream,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
    head_only: bool,
) {
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reason(status),
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("Content-Type"))
    {
        out.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(body);
    }
    let _ = stream.write_all(&bytes).and_then(|()| stream.flush());
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Counts event streams; a slot is freed when its [`StreamSlot`] drops.
#[derive(Default)]
pub(super) struct Streams(AtomicUsize);

/// One of [`MAX_STREAMS`] event-stream slots.
pub(super) struct StreamSlot<'a>(&'a Streams);

impl Streams {
    /// A slot, or `None` when [`MAX_STREAMS`] are open.
    pub(super) fn take(&self) -> Option<StreamSlot<'_>> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        if n >= MAX_STREAMS {
            self.0.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(StreamSlot(self))
    }
}

impl Drop for StreamSlot<'_> {
    fn drop(&mut self) {
        self.0 .0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines_are_checked() {
        assert_eq!(
            parse_request_line(b"GET /a/?q HTTP/1.1\r\nHost: x"),
            Some(("GET".into(), "/a/?q".into()))
        );
        for bad in [
            &b"GET /a"[..],
            b"GET a HTTP/1.1",
            b"GET /a HTTP/2",
            b"G=T /a HTTP/1.1",
            b"GET /\xff HTTP/1.1",
            b"GET /a HTTP/1.1 extra",
            b"",
        ] {
            assert_eq!(parse_request_line(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn streams_are_bounded() {
        let s = Streams::default();
        let slots: Vec<_> = (0..MAX_STREAMS).filter_map(|_| s.take()).collect();
        assert_eq!(slots.len(), MAX_STREAMS);
        assert!(s.take().is_none());
        drop(slots);
        assert!(s.take().is_some());
    }
}
