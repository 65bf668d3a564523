//! A small HTTP/1.1 server on `std::net` for the preview: GET and HEAD,
//! one request per connection, a fixed pool of worker threads fed through
//! a bounded queue.
//!
//! Why hand-written: the preview serves files from memory on loopback and
//! needs a few hundred lines of protocol, so a crate would mostly add
//! compile time (an async stack costs minutes on a two-core machine) or,
//! for the light blocking crates, a thread per connection we do not
//! control. Here the limits are explicit: eight workers, a queue of 512
//! accepted connections (beyond it a connection is answered 503 at once),
//! a 16 KiB request head, ten seconds to send it. Every response closes
//! its connection, so an idle browser connection never holds a worker.
//! Event streams are handed over to the reload hub, which holds them
//! without a thread each.

use crate::diag::{Error, Result};
use std::io::{Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Worker threads answering requests.
const WORKERS: usize = 8;
/// Accepted connections waiting for a worker.
const QUEUE: usize = 512;
/// Longest request head accepted.
const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send its request or read the answer.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

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

/// Accept connections forever, answering them on the worker pool.
pub fn serve(listener: TcpListener, handler: Arc<dyn Handler>) {
    let (sender, receiver) = sync_channel::<TcpStream>(QUEUE);
    let receiver = Arc::new(Mutex::new(receiver));
    for n in 0..WORKERS {
        let (receiver, handler) = (Arc::clone(&receiver), Arc::clone(&handler));
        let spawned = std::thread::Builder::new()
            .name(format!("gongkai-http-{n}"))
            .spawn(move || work(&receiver, handler.as_ref()));
        if let Err(e) = spawned {
            crate::say!("警告：无法启动处理线程：{e}");
        }
    }
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => enqueue(&sender, stream),
            // Out of file descriptors or an aborted handshake: wait a
            // moment instead of spinning.
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

fn enqueue(sender: &SyncSender<TcpStream>, stream: TcpStream) {
    match sender.try_send(stream) {
        Ok(()) => {}
        Err(TrySendError::Full(mut stream)) => {
            let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
            let _ = write_response(
                &mut stream,
                Method::Get,
                &Response::text(503, "服务器繁忙，请稍后刷新"),
            );
        }
        Err(TrySendError::Disconnected(_)) => {}
    }
}

fn work(receiver: &Mutex<Receiver<TcpStream>>, handler: &dyn Handler) {
    loop {
        let next = match receiver.lock() {
            Ok(guard) => guard.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        let Ok(stream) = next else {
            return;
        };
        answer(stream, handler);
    }
}

/// Read one request from the connection and answer it.
fn answer(mut stream: TcpStream, handler: &dyn Handler) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let head = match read_head(&mut stream) {
        Ok(Some(head)) => head,
        Ok(None) => return, // closed or timed out before a request
        Err(response) => {
            let _ = write_response(&mut stream, Method::Get, &response);
            return;
        }
    };
    let request = match parse_head(&head) {
        Ok(request) => request,
        Err(response) => {
            let _ = write_response(&mut stream, Method::Get, &response);
            return;
        }
    };
    if handler.is_event_stream(&request) {
        handler.attach(stream);
        return;
    }
    let response = handler.respond(&request);
    let _ = write_response(&mut stream, request.method, &response);
}

/// The bytes up to the blank line ending the head; `None` when the client
/// went away first.
fn read_head(stream: &mut TcpStream) -> std::result::Result<Option<Vec<u8>>, Response> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
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

fn write_response(
    stream: &mut TcpStream,
    method: Method,
    response: &Response,
) -> std::io::Result<()> {
    let mut bytes = head_bytes(response);
    if method == Method::Get {
        bytes.extend_from_slice(&response.body);
    }
    stream.write_all(&bytes)?;
    stream.flush()?;
    stream.shutdown(Shutdown::Write)
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
