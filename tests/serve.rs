//! End-to-end tests of `gongkai serve`: the real binary on a copy of a
//! fixture site in a temporary folder, on a free port of 127.0.0.1, talked
//! to over raw TCP. Every wait is a bounded poll; every server is killed
//! when its test ends. No traffic goes anywhere but 127.0.0.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest wait for anything: a debug build on a busy two-core machine.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `gongkai serve`, killed on drop.
struct Server {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env("SOURCE_DATE_EPOCH", "1717200000")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (sender, receiver) = std::sync::mpsc::channel();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("http://127.0.0.1:") {
                    let rest = &line[at + "http://".len()..];
                    let end = rest.find('/').unwrap_or(rest.len());
                    let _ = sender.send(rest[..end].to_string());
                }
                sink.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let addr = receiver
            .recv_timeout(PATIENCE)
            .expect("serve printed no address");
        let server = Server {
            child,
            addr: addr.parse().unwrap(),
            log,
        };
        server.wait_for("the first build", |s| s.get("/").0 == 200);
        server
    }

    /// One raw HTTP request; (status, head, body).
    fn request(&self, raw: &str) -> (u16, String, Vec<u8>) {
        request(self.addr, raw)
    }

    /// GET a path; (status, body as text).
    fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = self.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        ));
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// Poll until `done` holds, failing the test (with the server's log)
    /// after [`PATIENCE`].
    fn wait_for(&self, what: &str, done: impl Fn(&Server) -> bool) {
        let started = Instant::now();
        while !done(self) {
            assert!(
                started.elapsed() < PATIENCE,
                "timed out waiting for {what}; serve said:\n{}",
                self.log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn still_running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn request(addr: SocketAddr, raw: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    split_response(&bytes)
}

fn split_response(bytes: &[u8]) -> (u16, String, Vec<u8>) {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(bytes)));
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let status = head[9..12].parse().unwrap();
    (status, head, bytes[end + 4..].to_vec())
}

/// A copy of a fixture site in a fresh temporary folder.
fn site_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sites")
        .join(name);
    let root = tmp.path().join("site");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let target = root.join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    (tmp, root)
}

/// Write a file the way many editors save: a temporary file renamed over
/// the original.
fn save_atomically(path: &Path, text: &str) {
    let temp = path.with_extension("md.tmp");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

#[test]
fn edits_additions_and_deletions_show_after_the_rebuild() {
    let (_tmp, root) = site_copy("no-config");
    let server = Server::start(&root);
    let news = root.join("content/mycounty/news");

    let (status, page) = server.get("/mycounty/news/hello/");
    assert_eq!(status, 200);
    assert!(page.contains("正文。"));
    assert!(page.contains("/__gongkai/events"), "reload script injected");

    // An edit in place.
    std::fs::write(
        news.join("hello.md"),
        "---\ntitle: 你好\ndate: 2023-01-01\n---\n改过的正文。\n",
    )
    .unwrap();
    server.wait_for("the edit", |s| {
        s.get("/mycounty/news/hello/").1.contains("改过的正文")
    });

    // A new file: its page, the column list and the open data know it.
    save_atomically(
        &news.join("added.md"),
        "---\ntitle: 新增的通知\ndate: 2023-05-01\n---\n新内容。\n",
    );
    server.wait_for("the added item", |s| {
        s.get("/mycounty/news/added/").0 == 200
    });
    assert!(server.get("/mycounty/news/").1.contains("新增的通知"));
    assert!(server.get("/api/items.json").1.contains("新增的通知"));
    assert!(server.get("/atom.xml").1.contains("新增的通知"));

    // A whole column folder deleted.
    assert_eq!(server.get("/mycounty/services/s/").0, 200);
    std::fs::remove_dir_all(root.join("content/mycounty/services")).unwrap();
    server.wait_for("the deleted column", |s| {
        s.get("/mycounty/services/s/").0 == 404
    });
    let (_, missing) = server.get("/mycounty/services/s/");
    assert!(missing.contains("页面未找到"), "the site's own 404 page");
    assert!(!server.get("/api/items.json").1.contains("事项"));
    assert!(!server.get("/sitemap.xml").1.contains("services/s/"));
}

#[test]
fn a_half_written_file_shows_errors_until_it_is_completed() {
    let (_tmp, root) = site_copy("no-config");
    let mut server = Server::start(&root);
    let file = root.join("content/mycounty/news/hello.md");

    // Saved half-way: the front matter is never closed.
    std::fs::write(&file, "---\ntitle: 写到一半\ndate: 2023-0").unwrap();
    server.wait_for("the overlay", |s| s.get("/").1.contains("gongkai-errors"));
    let (status, home) = server.get("/");
    assert_eq!(status, 200, "the last good site is still served");
    assert!(
        home.contains("content/mycounty/news/hello.md:1:1:"),
        "{home}"
    );
    let (_, old) = server.get("/mycounty/news/hello/");
    assert!(old.contains("正文。"), "the last good page");
    assert!(server.still_running());

    // Completed.
    std::fs::write(
        &file,
        "---\ntitle: 写完了\ndate: 2023-01-01\n---\n最终版本。\n",
    )
    .unwrap();
    server.wait_for("the final version", |s| {
        s.get("/mycounty/news/hello/").1.contains("最终版本")
    });
    assert!(!server.get("/").1.contains("gongkai-errors"));
    assert!(
        !server
            .get("/mycounty/news/hello/")
            .1
            .contains("gongkai-errors")
    );
    assert!(server.still_running());
}

#[test]
fn the_overlay_shows_the_message_with_its_source_line_and_caret() {
    let (_tmp, root) = site_copy("no-config");
    let server = Server::start(&root);
    let file = root.join("content/mycounty/news/hello.md");
    std::fs::write(
        &file,
        "---\ntitle: 你好\n发布日期：2023-01-01\n---\n正文。\n",
    )
    .unwrap();
    server.wait_for("the overlay", |s| s.get("/").1.contains("gongkai-errors"));
    let (_, home) = server.get("/");
    assert!(
        home.contains(
            "content/mycounty/news/hello.md:3:5: 错误: 字段名“发布日期”后面用了全角冒号“：”"
        ),
        "{home}"
    );
    assert!(
        home.contains(
            " 3 | 发布日期：2023-01-01\n   | <span style=\"visibility:hidden\">发布日期</span><b>^</b>"
        ),
        "{home}"
    );
}

#[test]
fn the_event_stream_announces_each_build() {
    let (_tmp, root) = site_copy("no-config");
    let server = Server::start(&root);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
        .write_all(
            b"GET /__gongkai/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n",
        )
        .unwrap();
    let mut reader = BufReader::new(stream);
    let first = next_build_id(&mut reader, PATIENCE);
    let page = server.get("/").1;
    assert!(page.contains(&format!("const id=\"{first}\"")), "{page}");

    std::fs::write(
        root.join("content/mycounty/news/hello.md"),
        "---\ntitle: 你好\ndate: 2023-01-01\n---\n又改了。\n",
    )
    .unwrap();
    let second = next_build_id(&mut reader, PATIENCE);
    assert_ne!(first, second);
    assert!(server.get("/mycounty/news/hello/").1.contains("又改了"));
}

/// Read the event stream until the next `build` event; its id.
fn next_build_id(reader: &mut BufReader<TcpStream>, patience: Duration) -> String {
    let started = Instant::now();
    let mut line = String::new();
    let mut in_build = false;
    loop {
        assert!(started.elapsed() < patience, "no build event");
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => panic!("event stream closed"),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => continue,
            Err(e) => panic!("{e}"),
        }
        if line.trim_end() == "event: build" {
            in_build = true;
        } else if let Some(id) = line.trim_end().strip_prefix("data: ")
            && in_build
        {
            return id.to_string();
        }
    }
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let (_tmp, root) = site_copy("no-config");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["serve", "--port", &port, "--root"])
        .arg(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("serve did not stop on a port in use");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("端口 {port} 已被占用")),
        "{stderr}"
    );
    assert!(stderr.contains("--port"), "{stderr}");
    drop(taken);
}

#[test]
fn two_hundred_connections_at_once() {
    let (_tmp, root) = site_copy("no-config");
    let server = Server::start(&root);
    // Open all of them first, so they are held at the same time.
    let mut streams: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect_timeout(&server.addr, Duration::from_secs(10)).unwrap())
        .collect();
    let paths = [
        "/",
        "/mycounty/news/hello/",
        "/style.css",
        "/mycounty/news/hello/qr.png",
    ];
    for (n, stream) in streams.iter_mut().enumerate() {
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let path = paths[n % paths.len()];
        stream
            .write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())
            .unwrap();
    }
    for (n, mut stream) in streams.into_iter().enumerate() {
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let (status, head, body) = split_response(&bytes);
        assert_eq!(status, 200, "request {n}: {head}");
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(body.len(), length, "request {n}");
    }
    assert_eq!(server.get("/").0, 200, "still serving afterwards");
}

/// The `Content-Length` of a response head.
fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .unwrap()
        .parse()
        .unwrap()
}

/// Whether a non-blocking client connection is still open with nothing
/// received (not answered, not closed by the server).
fn waiting(stream: &mut TcpStream) -> bool {
    let mut byte = [0u8; 1];
    matches!(stream.read(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

#[test]
fn slow_clients_hold_up_no_one_and_are_cut_off() {
    let (_tmp, root) = site_copy("no-config");
    let server = Server::start(&root);
    // Sixteen clients (twice as many as there are CPU-bound places in any
    // reasonable pool) start a request and then send one byte at a time.
    let mut slow: Vec<TcpStream> = (0..16)
        .map(|_| {
            let mut stream =
                TcpStream::connect_timeout(&server.addr, Duration::from_secs(10)).unwrap();
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                .unwrap();
            stream.set_nonblocking(true).unwrap();
            stream
        })
        .collect();
    let dribble = |slow: &mut [TcpStream]| {
        for stream in slow.iter_mut() {
            let _ = stream.write(b"a");
        }
    };
    dribble(&mut slow);

    // A normal request, made while they keep sending, gets its whole answer
    // while every one of them is still connected and unanswered.
    let addr = server.addr;
    let normal = std::thread::spawn(move || {
        request(addr, "GET /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n")
    });
    while !normal.is_finished() {
        std::thread::sleep(Duration::from_millis(100));
        dribble(&mut slow);
    }
    let (status, head, body) = normal.join().expect("the normal request failed");
    assert_eq!(status, 200, "{head}");
    assert_eq!(body.len(), content_length(&head));
    for (n, stream) in slow.iter_mut().enumerate() {
        assert!(
            waiting(stream),
            "slow client {n} was answered or closed before the normal request was"
        );
    }

    // Still sending, each is closed once its time for a request head is up
    // (a per-read timeout would keep them forever).
    let started = Instant::now();
    while slow.iter_mut().any(waiting) {
        assert!(
            started.elapsed() < PATIENCE,
            "slow clients that keep sending are never cut off"
        );
        std::thread::sleep(Duration::from_millis(100));
        dribble(&mut slow);
        slow.retain_mut(waiting);
    }
    assert_eq!(server.get("/").0, 200, "still serving afterwards");
}

#[test]
fn only_loopback_host_names_are_answered() {
    let (_tmp, root) = site_copy("no-config");
    let server = Server::start(&root);
    let port = server.addr.port();
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
    ] {
        for target in ["/", "/style.css", "/__gongkai/events"] {
            let (status, head, body) =
                server.request(&format!("GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n"));
            let body = String::from_utf8_lossy(&body);
            assert_eq!(status, 421, "{host} {target}: {head}");
            assert!(body.contains("--bind"), "{body}");
            assert!(
                !body.contains("<html"),
                "{host} {target}: the site was served"
            );
        }
    }
    let (status, _, _) = server.request("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n");
    assert_eq!(status, 400, "an HTTP/1.1 request without Host");
    for host in [
        "localhost:1111".to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("[::1]:{port}"),
    ] {
        let (status, head, body) =
            server.request(&format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"));
        assert_eq!(status, 200, "{host}: {head}");
        assert_eq!(body.len(), content_length(&head), "{host}");
    }
}

#[test]
fn requests_that_climb_out_are_refused() {
    let (tmp, root) = site_copy("no-config");
    std::fs::write(tmp.path().join("secret.txt"), "SECRET").unwrap();
    let server = Server::start(&root);
    for target in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/\u{FF0E}\u{FF0E}/secret.txt",
        "/%EF%BC%8E%EF%BC%8E/secret.txt",
        "/index.html%00.css",
        "//secret.txt",
        "/content/mycounty/news/hello.md",
        "/site/content/mycounty/news/hello.md",
    ] {
        let (status, _, body) =
            server.request(&format!("GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        let body = String::from_utf8_lossy(&body);
        assert!(status == 400 || status == 404, "{target}: {status}");
        assert!(!body.contains("SECRET"), "{target}");
        assert!(!body.contains("正文。"), "{target} served a source file");
    }
}

#[test]
fn methods_heads_and_what_build_never_gets() {
    let (tmp, root) = site_copy("no-config");
    let server = Server::start(&root);
    let (status, head, body) =
        server.request("HEAD /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/css"), "{head}");
    assert!(!head.contains("Content-Length: 0"), "{head}");
    assert!(body.is_empty());
    let (status, head, _) =
        server.request("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(status, 405);
    assert!(head.contains("Allow: GET, HEAD"), "{head}");
    let (status, head, _) =
        server.request("GET /mycounty/news HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /mycounty/news/"), "{head}");
    let (_, head, _) =
        server.request("GET /mycounty/news/hello/qr.svg HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert!(head.contains("Content-Type: image/svg+xml"), "{head}");

    // `gongkai build` of the same site carries no trace of the preview.
    let out = tmp.path().join("public");
    let built = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--quiet", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(built.status.success());
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("__gongkai"), "{}", entry.path().display());
            assert!(
                !text.contains("gongkai-errors"),
                "{}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn two_hundred_clients_for_ten_seconds_without_an_error() {
    let (_tmp, root) = site_copy("no-config");
    let server = Server::start(&root);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let addr = server.addr;
    let (served, failed) = std::thread::scope(|scope| {
        let clients: Vec<_> = (0..200)
            .map(|n| {
                scope.spawn(move || {
                    let (mut ok, mut bad) = (0usize, 0usize);
                    let path = ["/", "/mycounty/news/hello/", "/style.css"][n % 3];
                    // Bounded: stops at the deadline, only ever talks to 127.0.0.1.
                    while std::time::Instant::now() < deadline {
                        let result = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
                            .and_then(|mut s| {
                                s.set_read_timeout(Some(Duration::from_secs(30)))?;
                                s.write_all(
                                    format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n")
                                        .as_bytes(),
                                )?;
                                let mut bytes = Vec::new();
                                s.read_to_end(&mut bytes)?;
                                Ok(bytes)
                            });
                        match result {
                            Ok(bytes) if split_response(&bytes).0 == 200 => ok += 1,
                            _ => bad += 1,
                        }
                    }
                    (ok, bad)
                })
            })
            .collect();
        clients
            .into_iter()
            .map(|c| c.join().unwrap())
            .fold((0, 0), |(a, b), (ok, bad)| (a + ok, b + bad))
    });
    assert_eq!(
        failed,
        0,
        "{failed} failed requests out of {}",
        served + failed
    );
    assert!(served >= 200, "only {served} requests served");
    assert_eq!(server.get("/").0, 200, "still serving afterwards");
}

/// Every file a full `gongkai build` of `root` (at the server's address)
/// writes, served the same by `server` (HTML without the reload script).
/// The build runs on a copy without qr.lock: `serve` previews edits the
/// register would refuse, and the build must not touch the served site.
fn assert_serves_what_build_writes(server: &Server, root: &Path, step: &str) {
    let out = tempfile::tempdir().unwrap();
    let copy = out.path().join("site");
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(root).unwrap();
        if rel.starts_with(".gongkai-cache") || rel == Path::new("qr.lock") {
            continue;
        }
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(copy.join(rel)).unwrap();
        } else {
            std::fs::copy(entry.path(), copy.join(rel)).unwrap();
        }
    }
    let out = tempfile::tempdir().unwrap();
    let built = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["build", "--quiet", "--base-url"])
        .arg(format!("http://{}", server.addr))
        .arg("--root")
        .arg(&copy)
        .arg("--out")
        .arg(out.path())
        .env("SOURCE_DATE_EPOCH", "1717200000")
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{step}: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(out.path()) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(out.path()).unwrap();
        let url: String = rel
            .iter()
            .map(|part| {
                let part = part.to_string_lossy();
                format!(
                    "/{}",
                    percent_encoding::utf8_percent_encode(
                        &part,
                        percent_encoding::NON_ALPHANUMERIC
                    )
                )
            })
            .collect();
        let (status, _, body) = server.request(&format!(
            "GET {url} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            server.addr
        ));
        assert_eq!(status, 200, "{step}: {url}");
        let mut served = body;
        if let Some(at) = find(&served, b"<script>/* gongkai serve */") {
            let end = at + find(&served[at..], b"</script>\n").unwrap() + "</script>\n".len();
            served.drain(at..end);
        }
        let expected = std::fs::read(entry.path()).unwrap();
        assert!(
            served == expected,
            "{step}: {url} differs from a full build:\n{}\n---\n{}",
            String::from_utf8_lossy(&served),
            String::from_utf8_lossy(&expected)
        );
        compared += 1;
    }
    assert!(compared > 100, "{step}: only {compared} files");
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn incremental_rebuilds_serve_what_a_full_build_writes() {
    let (_tmp, root) = site_copy("all-kinds");
    let config = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        format!("traditional = true\n{config}"),
    )
    .unwrap();
    let server = Server::start(&root);
    let policy = root.join("content/ceshi/policies/jiu-banfa.md");
    let original = std::fs::read_to_string(&policy).unwrap();
    let edit = |from: &str, to: &str| {
        let text = std::fs::read_to_string(&policy).unwrap();
        assert!(text.contains(from));
        save_atomically(&policy, &text.replacen(from, to, 1));
    };

    // The body only: the page, search index and feeds.
    edit("旧办法正文。", "旧办法正文，改过一次。");
    server.wait_for("the body edit", |s| {
        s.get("/ceshi/policies/jiu-banfa/").1.contains("改过一次")
    });
    assert_serves_what_build_writes(&server, &root, "body edit");

    // The title: lists, catalogues, the replacing policy's page and the
    // Traditional copy show it.
    edit("title: 旧办法", "title: 旧的管理办法");
    server.wait_for("the title edit", |s| {
        s.get("/ceshi/policies/jiu-banfa/")
            .1
            .contains("旧的管理办法")
    });
    assert!(
        server
            .get("/ceshi/policies/jiaodi/")
            .1
            .contains("旧的管理办法")
    );
    assert!(
        server
            .get("/zh-hant/ceshi/policies/jiaodi/")
            .1
            .contains("舊的管理辦法")
    );
    assert_serves_what_build_writes(&server, &root, "title edit");

    // A new 索引号 gives a new short code; the old redirect goes away.
    let (_, page) = server.get("/ceshi/policies/jiu-banfa/");
    let old_code = page
        .split("/q/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_string();
    assert_eq!(server.get(&format!("/q/{old_code}/")).0, 200);
    edit("2022-00001", "2022-00009");
    server.wait_for("the new short code", |s| {
        s.get(&format!("/q/{old_code}/")).0 == 404
    });
    assert_serves_what_build_writes(&server, &root, "索引号 edit");

    // A broken edit keeps the last good site; fixing it goes on from there.
    edit("date: 2022-01-05", "date: 2022-13-05");
    server.wait_for("the overlay", |s| s.get("/").1.contains("gongkai-errors"));
    edit("date: 2022-13-05", "date: 2022-01-06");
    server.wait_for("the fix", |s| !s.get("/").1.contains("gongkai-errors"));
    assert_serves_what_build_writes(&server, &root, "fixed date");

    // A FAQ's questions are listed on the district's FAQ index.
    let faq = root.join("content/ceshi/faq/wenda.md");
    let text = std::fs::read_to_string(&faq).unwrap();
    save_atomically(&faq, &text.replace("## 需要多久？", "## 一共需要多久？"));
    server.wait_for("the FAQ edit", |s| {
        s.get("/ceshi/questions/").1.contains("一共需要多久")
    });
    assert_serves_what_build_writes(&server, &root, "FAQ edit");

    // Back to the original in one save.
    save_atomically(&policy, &original);
    server.wait_for("the original", |s| {
        s.get("/ceshi/policies/jiu-banfa/")
            .1
            .contains("旧办法正文。")
    });
    assert_serves_what_build_writes(&server, &root, "original");
    let log = server.log.lock().unwrap().clone();
    assert!(
        log.matches("已更新：重新生成").count() >= 6,
        "the edits were rebuilt incrementally:\n{log}"
    );
}
