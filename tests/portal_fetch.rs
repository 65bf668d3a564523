//! The portal's member fetcher against member sites served on 127.0.0.1
//! by a tiny server in this file (bound to 127.0.0.1:0, a bounded accept
//! loop that stops on drop): a member that times out, answers 500, answers
//! half a file, changes its major version, answers 304; a directory
//! source; missing optional and required members. The member's export is
//! the real output of `gongkai build` of a fixture site.

mod common;

use gongkai::portal::config::{FetchSettings, Member, Source};
use gongkai::portal::fetch::{MemberResult, fetch_members};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const BASE: &str = "https://gk.test.gov.cn";
/// Items of the all-kinds fixture.
const ITEMS: usize = 12;

/// The built output of the all-kinds fixture, made once per run.
fn member_output() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("portal-fetch-member");
        let _ = std::fs::remove_dir_all(&dir);
        let output = common::build(&common::site("all-kinds"), &dir.join("public"), &[]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        dir.join("public")
    })
}

/// What the test server does with each request.
#[derive(Clone)]
enum Answer {
    /// The member's files; with an ETag, and 304 to a matching If-None-Match.
    Files,
    /// This status and no body.
    Status(u16),
    /// Read the request, say nothing for this long, close.
    Silent(Duration),
    /// A Content-Length 1000 bytes longer than the body sent, then close.
    Half,
    /// The member's files with `site.json` claiming this format.
    Format(&'static str),
}

/// One request the server saw: path and `If-None-Match`.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    if_none_match: Option<String>,
    status: u16,
}

struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<Seen>>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(answer: Answer) -> Server {
        // Built before the first request, which must not wait for it.
        member_output();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (stop_flag, log) = (Arc::clone(&stop), Arc::clone(&seen));
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut handlers = Vec::new();
            while !stop_flag.load(Ordering::Relaxed) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (answer, log) = (answer.clone(), Arc::clone(&log));
                        handlers.push(std::thread::spawn(move || handle(stream, &answer, &log)));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
            for handler in handlers {
                let _ = handler.join();
            }
        });
        Server {
            addr,
            stop,
            seen,
            thread: Some(thread),
        }
    }

    fn source(&self) -> Source {
        Source::Url(format!("http://{}", self.addr))
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Read one request's head (bounded in size and time).
fn read_head(stream: &mut TcpStream) -> String {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

fn handle(mut stream: TcpStream, answer: &Answer, log: &Mutex<Vec<Seen>>) {
    let head = read_head(&mut stream);
    let path = head.split(' ').nth(1).unwrap_or("/").to_string();
    let if_none_match = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("If-None-Match: ")
                .or_else(|| l.strip_prefix("if-none-match: "))
        })
        .map(str::to_string);
    let file = std::fs::read(member_output().join(path.trim_start_matches('/')));
    let (status, body, extra) = match (answer, file) {
        (Answer::Silent(wait), _) => {
            log.lock().unwrap().push(Seen {
                path,
                if_none_match,
                status: 0,
            });
            std::thread::sleep(*wait);
            return;
        }
        (Answer::Status(code), _) => (*code, Vec::new(), 0),
        (_, Err(_)) => (404, Vec::new(), 0),
        (Answer::Half, Ok(bytes)) => (200, bytes, 1000),
        (Answer::Format(format), Ok(bytes)) if path.ends_with("site.json") => {
            let text = String::from_utf8(bytes).unwrap();
            (
                200,
                text.replace("\"format\": \"1.0\"", &format!("\"format\": \"{format}\""))
                    .into_bytes(),
                0,
            )
        }
        (_, Ok(bytes)) => (200, bytes, 0),
    };
    let etag = format!(
        "\"{}-{}\"",
        body.len(),
        body.iter().map(|&b| u64::from(b)).sum::<u64>()
    );
    let status = if status == 200 && if_none_match.as_deref() == Some(etag.as_str()) {
        304
    } else {
        status
    };
    let body = if status == 304 { Vec::new() } else { body };
    log.lock().unwrap().push(Seen {
        path,
        if_none_match,
        status,
    });
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nETag: {etag}\r\nConnection: close\r\n\r\n",
        body.len() + extra
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn settings() -> FetchSettings {
    FetchSettings {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(1),
        retries: 2,
        retry_delay: Duration::from_millis(10),
        parallel: 4,
    }
}

fn member(id: &str, source: Source, optional: bool) -> Member {
    Member {
        id: id.to_string(),
        name: format!("{id}区"),
        base_url: BASE.to_string(),
        source,
        optional,
    }
}

fn fetch_one(member: Member, cache: &Path) -> MemberResult {
    fetch_members(&[member], &settings(), cache).pop().unwrap()
}

/// A cache in which member `id` has a good copy, fetched from its directory.
fn seeded(id: &str) -> tempfile::TempDir {
    let cache = tempfile::tempdir().unwrap();
    let fetched = fetch_one(
        member(id, Source::Dir(member_output().into()), false),
        cache.path(),
    )
    .unwrap();
    assert!(fetched.warning.is_none(), "{:?}", fetched.warning);
    cache
}

/// The warning of a member that fell back to its last good copy.
fn fell_back(result: MemberResult) -> String {
    let fetched = result.unwrap();
    assert_eq!(fetched.export.items.len(), ITEMS, "the cached copy is used");
    fetched
        .warning
        .expect("a warning names the member and the reason")
}

#[test]
fn a_directory_source_is_read_checked_and_kept() {
    let cache = tempfile::tempdir().unwrap();
    let fetched = fetch_one(
        member("ceshi", Source::Dir(member_output().into()), false),
        cache.path(),
    )
    .unwrap();
    assert!(fetched.warning.is_none());
    let export = fetched.export;
    assert_eq!(
        (export.items.len(), export.site.base_url.as_str()),
        (ITEMS, BASE)
    );
    let texts: Vec<_> = export.search.open().unwrap().map(Result::unwrap).collect();
    assert_eq!(texts.len(), ITEMS);
    assert!(
        texts
            .iter()
            .all(|t| export.items.iter().any(|i| i.id == t.id))
    );
    let kept = cache.path().join("members/ceshi");
    let current = std::fs::read_to_string(kept.join("current")).unwrap();
    assert!(kept.join(current.trim()).join("items.json").exists());
}

#[test]
fn an_unchanged_member_answers_304_and_its_cached_copy_is_used_without_warning() {
    let server = Server::start(Answer::Files);
    let cache = tempfile::tempdir().unwrap();
    let first = fetch_one(member("m", server.source(), false), cache.path()).unwrap();
    assert!(first.warning.is_none());
    let kept = std::fs::read_to_string(cache.path().join("members/m/current")).unwrap();
    let second = fetch_one(member("m", server.source(), false), cache.path()).unwrap();
    assert!(second.warning.is_none(), "{:?}", second.warning);
    assert_eq!(second.export.items.len(), ITEMS);
    assert_eq!(second.export.search.open().unwrap().count(), ITEMS);
    let seen = server.seen();
    assert_eq!(seen.len(), 6, "{seen:?}");
    assert!(
        seen[..3]
            .iter()
            .all(|s| s.if_none_match.is_none() && s.status == 200)
    );
    assert!(
        seen[3..]
            .iter()
            .all(|s| s.if_none_match.is_some() && s.status == 304),
        "{seen:?}"
    );
    let paths: Vec<&str> = seen[..3].iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/api/site.json", "/api/items.json", "/api/search.jsonl.gz"]
    );
    let still = std::fs::read_to_string(cache.path().join("members/m/current")).unwrap();
    assert_eq!(kept, still, "an unchanged copy is not written again");
}

#[test]
fn a_member_that_times_out_falls_back_with_a_warning() {
    let cache = seeded("slow");
    let server = Server::start(Answer::Silent(Duration::from_secs(3)));
    let started = Instant::now();
    let warning = fell_back(fetch_one(
        member("slow", server.source(), false),
        cache.path(),
    ));
    assert!(
        warning.contains("成员 slow（slow区）") && warning.contains("超时"),
        "{warning}"
    );
    assert!(warning.contains("上次获取成功的副本"), "{warning}");
    assert_eq!(server.seen().len(), 3, "one try and two retries");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_member_answering_500_is_retried_then_falls_back() {
    let cache = seeded("broken");
    let server = Server::start(Answer::Status(500));
    let warning = fell_back(fetch_one(
        member("broken", server.source(), false),
        cache.path(),
    ));
    assert!(
        warning.contains("HTTP 500") && warning.contains("3 次"),
        "{warning}"
    );
    assert_eq!(server.seen().len(), 3);
}

#[test]
fn a_404_is_not_retried() {
    let server = Server::start(Answer::Status(404));
    let failure = fetch_one(
        member("gone", server.source(), false),
        tempfile::tempdir().unwrap().path(),
    )
    .unwrap_err();
    assert!(failure.reason.contains("HTTP 404"), "{}", failure.reason);
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn half_a_file_is_not_used() {
    let server = Server::start(Answer::Half);
    let cache = seeded("half");
    let warning = fell_back(fetch_one(
        member("half", server.source(), false),
        cache.path(),
    ));
    assert!(warning.contains("没有收完整"), "{warning}");
    let empty = tempfile::tempdir().unwrap();
    let failure = fetch_one(member("half", server.source(), false), empty.path()).unwrap_err();
    assert!(
        !failure.optional && failure.reason.contains("缓存中没有它的副本"),
        "{}",
        failure.reason
    );
    assert!(
        !empty.path().join("members/half/current").exists(),
        "nothing bad is kept"
    );
}

#[test]
fn a_member_that_changes_its_major_version_is_refused_and_its_last_good_copy_used() {
    let server = Server::start(Answer::Format("2.0"));
    let cache = seeded("newer");
    let warning = fell_back(fetch_one(
        member("newer", server.source(), false),
        cache.path(),
    ));
    assert!(
        warning.contains("成员 newer") && warning.contains("2.0"),
        "{warning}"
    );
    assert!(warning.contains("升级门户使用的 gongkai"), "{warning}");
    // A minor version the reader does not know yet is read.
    let minor = Server::start(Answer::Format("1.9"));
    let fetched = fetch_one(member("newer", minor.source(), false), cache.path()).unwrap();
    assert!(fetched.warning.is_none(), "{:?}", fetched.warning);
    assert_eq!(fetched.export.site.format.minor, 9);
}

#[test]
fn an_export_for_another_base_url_is_an_error() {
    let mut other = member("other", Source::Dir(member_output().into()), false);
    other.base_url = "https://other.test.gov.cn".to_string();
    let failure = fetch_one(other, tempfile::tempdir().unwrap().path()).unwrap_err();
    assert!(
        failure.reason.contains("https://other.test.gov.cn"),
        "{}",
        failure.reason
    );
}

#[test]
fn missing_members_fail_unless_optional_and_results_keep_their_order() {
    let cache = tempfile::tempdir().unwrap();
    let nowhere = cache.path().join("no-such-output");
    let members = [
        member("good", Source::Dir(member_output().into()), false),
        member("maybe", Source::Dir(nowhere.clone()), true),
        member("needed", Source::Dir(nowhere), false),
    ];
    let results = fetch_members(&members, &settings(), cache.path());
    assert_eq!(results.len(), 3);
    assert!(results[0].as_ref().is_ok_and(|f| f.warning.is_none()));
    let maybe = results[1].as_ref().unwrap_err();
    assert!(
        maybe.optional && maybe.to_string().contains("可缺少"),
        "{maybe}"
    );
    assert!(
        maybe.reason.contains("成员 maybe") && maybe.reason.contains("找不到"),
        "{maybe}"
    );
    let needed = results[2].as_ref().unwrap_err();
    assert!(
        !needed.optional && needed.reason.contains("成员 needed"),
        "{needed}"
    );
    assert!(!needed.to_string().contains("可缺少"));
}
