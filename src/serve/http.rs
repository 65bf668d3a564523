//! A small HTTP/1.1 server on `std::net` for the preview: GET and HEAD,
//! one request per connection, each connection on a short-lived thread of
//! its own.
//!
//! Why hand-written: the preview serves files from memory on loopback and
//! needs a few hundred lines of protocol, so a crate would mostly add
//! compile time (an async stack costs minutes on a two-core machine).
//!
//! Why a thread per connection: a client that sends its request slowly
//! must not hold up anyone else. With a fixed pool of workers reading
//! heads, eight clients sending a byte every few seconds held all eight
//! workers and every other request waited behind them. Here a connection
//! only ever blocks its own thread, so a normal request is answered while
//! any number of slow ones (up to the limit below) are still being read.
//! The limits are explicit: at most 512 connections being read or answered
//! at once (beyond that a connection is answered 503 at once), a 16 KiB
//! request head, ten seconds from accepting a connection to the end of its
//! head (a deadline for the whole head, not per read, so a byte now and
//! then does not keep a connection), and an answer that must be read at
//! 64 KiB/s on average after the first ten seconds. Every response closes
//! its connection, so an idle browser connection never lingers. Event
//! streams are handed over to the reload hub, which holds them without a
//! thread each.
//!
//! Bound to a loopback address (the default), the server answers only
//! requests whose `Host` is a loopback name — `localhost`, `127.x.x.x` or
//! `[::1]`, any port — and refuses any other with 421 Misdirected Request:
//! a web page elsewhere cannot rebind its own domain name to 127.0.0.1 and
//! read the preview (DNS rebinding). Bound to another address with
//! `--bind`, any `Host` is accepted: the user asked for other computers.

use crate::diag::{Error, Result};
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Connections being read or answered at once.
const MAX_CONNECTIONS: usize = 512;
/// Stack of a connection thread: it reads a head and copies a response.
const STACK: usize = 256 * 1024;
/// Longest request head accepted.
const MAX_HEAD: usize = 16 * 1024;
/// From accepting a connection to the end of its request head; also the
/// longest a write may wait, and the time to read an answer of any size.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// Slowest average rate at which a client may read a long answer.
const MIN_READ_RATE: u64 = 64 * 1024;

/// The request methods the preview answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// HEAD: the headers of GET without the body.
    Head,
}

/// A parsed request: only what the preview looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// GET or HEAD.
    pub method: Method,
    /// The request target as sent (`/a/b?x`).
    pub target: String,
}

/// A complete response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Value of `Content-Type`.
    pub content_type: &'static str,
    /// Extra headers (`Location`, `Allow`).
    pub headers: Vec<(&'static str, String)>,
    /// The body (also measured for HEAD, never sent for it).
    pub body: Vec<u8>,
}

impl Response {
    /// A plain-text response, for errors.
    pub fn text(status: u16, text: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            headers: Vec::new(),
            body: format!("{text}\n").into_bytes(),
        }
    }
}

/// What the server asks of the preview.
pub trait Handler: Send + Sync + 'static {
    /// The path of the event stream (`/__gongkai/events`).
    fn is_event_stream(&self, request: &Request) -> bool;
    /// Take over a connection as an event stream.
    fn attach(&self, stream: TcpStream);
    /// Answer any other request.
    fn respond(&self, request: &Request) -> Response;
}

/// Bind the listening socket, with a message an editor understands when
/// the port is taken.
pub fn bind(ip: IpAddr, port: u16) -> Result<TcpListener> {
    let addr = SocketAddr::new(ip, port);
    TcpListener::bind(addr).map_err(|e| {
        Error::Other(match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "端口 {port} 已被占用（{addr}）：可能已有一个 gongkai serve 在运行；\
                 请关闭占用该端口的程序，或用 --port 换一个端口，例如 --port {}",
                port.wrapping_add(1).max(1024)
            ),
            std::io::ErrorKind::AddrNotAvailable => {
                format!("无法在 {ip} 上监听：本机没有这个地址，请检查 --bind")
            }
            std::io::ErrorKind::PermissionDenied => {
                format!("没有权限监听端口 {port}：请换一个大于 1024 的端口")
            }
            _ => format!("无法监听 {addr}：{e}"),
        })
    })
}

/// Accept connections forever, answering each on a thread of its own.
pub fn serve(listener: TcpListener, handler: Arc<dyn Handler>) {
    let hosts = match listener.local_addr() {
        Ok(address) => HostPolicy::for_address(address.ip()),
        Err(_) => HostPolicy::LoopbackOnly,
    };
    let live = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => start(stream, &handler, &live, hosts),
            // Out of file descriptors or an aborted handshake: wait a
            // moment instead of spinning.
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// Answer a new connection on its own thread, or with 503 at once when
/// too many are open.
fn start(
    stream: TcpStream,
    handler: &Arc<dyn Handler>,
    live: &Arc<AtomicUsize>,
    hosts: HostPolicy,
) {
    let head_deadline = Instant::now() + IO_TIMEOUT;
    let Some(slot) = Slot::take(live) else {
        // Answered from the accepting thread, so it must never wait long.
        let mut stream = stream;
        let busy = Response::text(503, "服务器繁忙，请稍后刷新");
        let _ = write_response(&mut stream, Method::Get, &busy, Duration::from_millis(100));
        return;
    };
    let handler = Arc::clone(handler);
    // If no thread can be started, the closure is dropped with the
    // connection and the slot: the client sees the connection close.
    let _ = std::thread::Builder::new()
        .name("gongkai-http".to_string())
        .stack_size(STACK)
        .spawn(move || {
            let _slot = slot;
            answer(stream, handler.as_ref(), hosts, head_deadline);
        });
}

/// One of the [`MAX_CONNECTIONS`] places for an open connection, given
/// back when dropped (also when its thread panics).
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(live: &Arc<AtomicUsize>) -> Option<Slot> {
        if live.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
            live.fetch_sub(1, Ordering::AcqRel);
            return None;
        }
        Some(Slot(Arc::clone(live)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Read one request from the connection and answer it.
fn answer(mut stream: TcpStream, handler: &dyn Handler, hosts: HostPolicy, deadline: Instant) {
    let _ = stream.set_nodelay(true);
    let head = match read_head(&mut stream, deadline) {
        Ok(Some(head)) => head,
        // Closed, or nothing complete before the deadline: browsers open
        // spare connections they may never use, so no answer is owed.
        Ok(None) => return,
        Err(response) => {
            let _ = write_response(&mut stream, Method::Get, &response, IO_TIMEOUT);
            return;
        }
    };
    let request = match parse_head(&head).and_then(|r| hosts.check(&head).map(|()| r)) {
        Ok(request) => request,
        Err(response) => {
            let _ = write_response(&mut stream, Method::Get, &response, IO_TIMEOUT);
            return;
        }
    };
    if handler.is_event_stream(&request) {
        handler.attach(stream);
        return;
    }
    let response = handler.respond(&request);
    let _ = write_response(&mut stream, request.method, &response, IO_TIMEOUT);
}

/// The bytes up to the blank line ending the head; `None` when the client
/// went away or `deadline` passed first.
fn read_head(
    stream: &mut TcpStream,
    deadline: Instant,
) -> std::result::Result<Option<Vec<u8>>, Response> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let Some(left) = time_left(deadline) else {
            return Ok(None);
        };
        if stream.set_read_timeout(Some(left)).is_err() {
            return Ok(None);
        }
        let n = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => n,
        };
        head.extend_from_slice(&chunk[..n]);
        if let Some(end) = head_end(&head) {
            head.truncate(end);
            return Ok(Some(head));
        }
        if head.len() > MAX_HEAD {
            return Err(Response::text(431, "请求头过大"));
        }
    }
}

/// The time until `deadline`, `None` once it has passed.
fn time_left(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|left| !left.is_zero())
}

/// Where the head ends: at the line feed that starts the blank line
/// (`\r\n\r\n`, or a bare `\n\n` from a lenient client).
fn head_end(bytes: &[u8]) -> Option<usize> {
    (0..bytes.len()).find(|&i| {
        bytes[i] == b'\n'
            && (bytes[i + 1..].starts_with(b"\n") || bytes[i + 1..].starts_with(b"\r\n"))
    })
}

/// Parse the request line; headers are not needed to serve files.
pub fn parse_head(head: &[u8]) -> std::result::Result<Request, Response> {
    let bad = || Response::text(400, "请求格式错误");
    let text = std::str::from_utf8(head).map_err(|_| bad())?;
    let line = text.lines().next().ok_or_else(bad)?.trim_end_matches('\r');
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if !version.starts_with("HTTP/1.") {
        return Err(Response::text(505, "只支持 HTTP/1.x"));
    }
    if target.is_empty() {
        return Err(bad());
    }
    let method = match method {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        _ => {
            let mut response = Response::text(405, "预览服务器只接受 GET 和 HEAD 请求");
            response.headers.push(("Allow", "GET, HEAD".to_string()));
            return Err(response);
        }
    };
    Ok(Request {
        method,
        target: target.to_string(),
    })
}

/// The reason phrase of the status codes used here.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// The status line and headers of a response.
pub fn head_bytes(response: &Response) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// Send a response and close the connection for writing. The client has
/// `patience` plus the time to read the bytes at [`MIN_READ_RATE`]; a
/// single write waits at most `patience`.
fn write_response(
    stream: &mut TcpStream,
    method: Method,
    response: &Response,
    patience: Duration,
) -> std::io::Result<()> {
    let mut bytes = head_bytes(response);
    if method == Method::Get {
        bytes.extend_from_slice(&response.body);
    }
    let allowance = Duration::from_secs(bytes.len() as u64 / MIN_READ_RATE);
    let deadline = Instant::now() + patience + allowance;
    for chunk in bytes.chunks(64 * 1024) {
        let left = time_left(deadline).ok_or(std::io::ErrorKind::TimedOut)?;
        stream.set_write_timeout(Some(left.min(patience)))?;
        stream.write_all(chunk)?;
    }
    stream.flush()?;
    stream.shutdown(Shutdown::Write)
}

/// Which `Host` names the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostPolicy {
    /// Bound to loopback: only loopback names (DNS-rebinding protection).
    LoopbackOnly,
    /// Bound to another address on purpose: any name.
    Any,
}

impl HostPolicy {
    /// The policy for a server listening on `ip`.
    pub fn for_address(ip: IpAddr) -> HostPolicy {
        if ip.is_loopback() {
            HostPolicy::LoopbackOnly
        } else {
            HostPolicy::Any
        }
    }

    /// Check the `Host` header of a request head (already parsed by
    /// [`parse_head`]): 400 when an HTTP/1.1 request has none or a request
    /// has several (RFC 9112, 3.2), 421 when the policy refuses its name.
    pub fn check(self, head: &[u8]) -> std::result::Result<(), Response> {
        let bad = |text| Response::text(400, text);
        let text = std::str::from_utf8(head).map_err(|_| bad("请求格式错误"))?;
        let mut lines = text.lines();
        let http_1_0 = lines
            .next()
            .is_some_and(|l| l.trim_end().ends_with("HTTP/1.0"));
        let mut hosts = lines.filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("host").then(|| value.trim())
        });
        let host = match (hosts.next(), hosts.next()) {
            (Some(_), Some(_)) => return Err(bad("请求头中有多个 Host")),
            (Some(host), None) => host,
            (None, _) if http_1_0 => return Ok(()),
            (None, _) => return Err(bad("请求头中缺少 Host")),
        };
        if self == HostPolicy::Any || is_loopback_host(host) {
            return Ok(());
        }
        Err(Response::text(
            421,
            "预览服务器只接受以 localhost、127.0.0.1 或 [::1] 访问的请求\
             （以防其他网站通过 DNS 重绑定读取预览）。\
             如需让其他电脑访问，请用 --bind 指定本机在局域网中的地址。",
        ))
    }
}

/// `localhost`, an address in 127.0.0.0/8 or `[::1]`, with or without a
/// port.
fn is_loopback_host(host: &str) -> bool {
    let (name, port) = match host.rfind(':') {
        Some(at) if !host[at..].contains(']') => (&host[..at], &host[at + 1..]),
        _ => (host, ""),
    };
    if port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(inside) => inside.parse::<Ipv6Addr>().is_ok_and(|ip| {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }),
        None => {
            name.eq_ignore_ascii_case("localhost")
                || name.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines() {
        let request = parse_head(b"GET /a/b?x=1 HTTP/1.1\r\nHost: x").unwrap();
        assert_eq!(request.method, Method::Get);
        assert_eq!(request.target, "/a/b?x=1");
        assert_eq!(parse_head(b"HEAD / HTTP/1.0").unwrap().method, Method::Head);
        assert_eq!(parse_head(b"POST / HTTP/1.1").unwrap_err().status, 405);
        assert_eq!(parse_head(b"GET / HTTP/2.0").unwrap_err().status, 505);
        assert_eq!(parse_head(b"GET  / HTTP/1.1").unwrap_err().status, 400);
        assert_eq!(parse_head(b"GET /").unwrap_err().status, 400);
        assert_eq!(parse_head(b"\xff\xfe").unwrap_err().status, 400);
        assert_eq!(parse_head(b"").unwrap_err().status, 400);
    }

    #[test]
    fn heads_end_at_the_blank_line() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\nbody"), Some(21));
        assert_eq!(head_end(b"GET / HTTP/1.1\n\n"), Some(14));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n"), None);
    }

    #[test]
    fn loopback_names_with_any_port() {
        for host in [
            "localhost",
            "LocalHost:1111",
            "localhost:",
            "127.0.0.1",
            "127.0.0.1:8080",
            "127.1.2.3:65535",
            "[::1]",
            "[::1]:1111",
            "[::ffff:127.0.0.1]:80",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "localhost:11a1",
            "localhost:123456",
            "10.0.0.1:1111",
            "0.0.0.0",
            "[::]:1111",
            "[::1",
            "::1",
            "[::2]:80",
            "",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }

    #[test]
    fn host_policy() {
        let head = |host: &str| format!("GET / HTTP/1.1\r\n{host}\r\nAccept: */*");
        let loopback = HostPolicy::for_address("127.0.0.1".parse().unwrap());
        let ipv6_loopback = HostPolicy::for_address("::1".parse().unwrap());
        assert_eq!(loopback, HostPolicy::LoopbackOnly);
        assert_eq!(ipv6_loopback, HostPolicy::LoopbackOnly);
        let status =
            |policy: HostPolicy, head: &str| policy.check(head.as_bytes()).err().map(|r| r.status);
        assert_eq!(status(loopback, &head("Host: localhost:1111")), None);
        assert_eq!(status(loopback, &head("host:127.0.0.1:5")), None);
        assert_eq!(status(loopback, &head("Host: evil.example")), Some(421));
        assert_eq!(
            status(loopback, &head("Host: evil.example:1111")),
            Some(421)
        );
        assert_eq!(status(loopback, "GET / HTTP/1.1\r\nAccept: */*"), Some(400));
        assert_eq!(status(loopback, "GET / HTTP/1.0\r\nAccept: */*"), None);
        let twice = head("Host: localhost\r\nHost: evil.example");
        assert_eq!(status(loopback, &twice), Some(400));
        // Bound to another address on purpose (`--bind`): any name.
        for ip in ["0.0.0.0", "192.0.2.7", "::"] {
            let any = HostPolicy::for_address(ip.parse().unwrap());
            assert_eq!(any, HostPolicy::Any, "{ip}");
            assert_eq!(status(any, &head("Host: evil.example")), None);
            assert_eq!(status(any, &head("Host: gk.local:1111")), None);
            assert_eq!(status(any, "GET / HTTP/1.1\r\nAccept: */*"), Some(400));
        }
        let refused = loopback
            .check(head("Host: evil.example").as_bytes())
            .unwrap_err();
        let text = String::from_utf8(refused.body).unwrap();
        assert!(
            text.contains("localhost") && text.contains("--bind"),
            "{text}"
        );
    }

    #[test]
    fn response_heads_carry_length_and_close() {
        let mut response = Response::text(301, "");
        response.headers.push(("Location", "/a/".to_string()));
        let head = String::from_utf8(head_bytes(&response)).unwrap();
        assert!(head.starts_with("HTTP/1.1 301 Moved Permanently\r\n"));
        assert!(head.contains("Content-Length: 1\r\n"));
        assert!(head.contains("Connection: close\r\n"));
        assert!(head.contains("Location: /a/\r\n"));
        assert!(head.ends_with("\r\n\r\n"));
    }
}
