//! What the preview serves: the last good build, the errors of the last
//! failed one, and the answer to each request.

use super::http::{Handler, Method, Request, Response};
use super::memory::SiteFiles;
use super::paths;
use super::reload::{self, EVENTS_PATH, Hub};
use std::collections::HashSet;
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

/// One build as served.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The last site that built without errors, if any did.
    pub site: Option<Arc<SiteFiles>>,
    /// Errors of the latest build (empty when it succeeded), one
    /// `path:line:col: …` line each.
    pub errors: Vec<String>,
    /// Id of the latest build, announced to open tabs.
    pub build_id: String,
    /// Set while an incremental rebuild is still rendering after its
    /// edited pages were served.
    pub settling: Option<Arc<Settling>>,
}

/// The files an incremental rebuild is still rendering. A request for one
/// of them, or for a file the site does not have (yet), waits until they
/// are done.
#[derive(Debug, Default)]
pub struct Settling {
    paths: HashSet<String>,
    done: Mutex<bool>,
    wake: Condvar,
}

/// The longest a request waits for the rest of a rebuild.
const SETTLE_WAIT: Duration = Duration::from_secs(60);

impl Settling {
    fn finish(&self) {
        *self.done.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.wake.notify_all();
    }

    fn wait(&self) {
        let until = Instant::now() + SETTLE_WAIT;
        let mut done = self.done.lock().unwrap_or_else(|p| p.into_inner());
        while !*done {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            done = self
                .wake
                .wait_timeout(done, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Whether the answer for `target` may still change.
    fn holds(&self, site: &SiteFiles, target: &str) -> bool {
        let Ok(path) = paths::parse(target) else {
            return false;
        };
        let key = path.key();
        let index = path.index_key();
        self.paths.contains(&key)
            || index.as_ref().is_some_and(|k| self.paths.contains(k))
            || (site.get(&key).is_none() && index.is_none_or(|k| site.get(&k).is_none()))
    }
}

/// The preview's state, shared by the HTTP workers and the rebuild thread.
pub struct Preview {
    current: RwLock<Arc<Snapshot>>,
    settling: Mutex<Option<Arc<Settling>>>,
    hub: Hub,
    /// Distinguishes this run's build ids from a previous run's.
    run: u64,
    builds: AtomicU64,
}

impl Default for Preview {
    fn default() -> Self {
        let run = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() * 1000 + u64::from(d.subsec_millis()));
        Preview {
            current: RwLock::new(Arc::new(Snapshot::default())),
            settling: Mutex::new(None),
            hub: Hub::default(),
            run,
            builds: AtomicU64::new(0),
        }
    }
}

impl Preview {
    /// The build being served now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.current.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Serve the outcome of a build: a new site, or errors shown over the
    /// last good one. Open tabs are told to reload.
    pub fn publish(&self, outcome: std::result::Result<SiteFiles, Vec<String>>) {
        self.publish_with(outcome, None);
        self.finish_settling();
    }

    /// Serve the edited pages of an incremental rebuild and tell open tabs
    /// to reload; requests for the files in `unsettled` (and for files the
    /// site lacks) wait for [`Preview::settle`].
    pub fn publish_early(&self, site: SiteFiles, unsettled: HashSet<String>) {
        let settling = Arc::new(Settling {
            paths: unsettled,
            ..Settling::default()
        });
        self.finish_settling();
        *self.settling.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::clone(&settling));
        self.publish_with(Ok(site), Some(settling));
    }

    /// Serve the finished site of an incremental rebuild, under the build
    /// id of its early part (tabs already reloaded), and let waiting
    /// requests go on.
    pub fn settle(&self, site: SiteFiles) {
        {
            let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
            *current = Arc::new(Snapshot {
                site: Some(Arc::new(site)),
                errors: Vec::new(),
                build_id: current.build_id.clone(),
                settling: None,
            });
        }
        self.finish_settling();
    }

    fn finish_settling(&self) {
        if let Some(settling) = self
            .settling
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            settling.finish();
        }
    }

    fn publish_with(
        &self,
        outcome: std::result::Result<SiteFiles, Vec<String>>,
        settling: Option<Arc<Settling>>,
    ) {
        self.hub.publish(|| {
            let n = self.builds.fetch_add(1, Ordering::Relaxed) + 1;
            let build_id = format!("{}-{n}", self.run);
            let mut current = self.current.write().unwrap_or_else(|p| p.into_inner());
            let snapshot = match outcome {
                Ok(site) => Snapshot {
                    site: Some(Arc::new(site)),
                    errors: Vec::new(),
                    build_id: build_id.clone(),
                    settling,
                },
                Err(errors) => Snapshot {
                    site: current.site.clone(),
                    errors,
                    build_id: build_id.clone(),
                    settling: None,
                },
            };
            *current = Arc::new(snapshot);
            build_id
        });
    }

    /// Keep event streams alive and drop those of closed tabs.
    pub fn heartbeat(&self) {
        self.hub.heartbeat();
    }
}

impl Handler for Preview {
    fn is_event_stream(&self, request: &Request) -> bool {
        request.method == Method::Get
            && request
                .target
                .split_once('?')
                .map_or(request.target.as_str(), |(p, _)| p)
                == EVENTS_PATH
    }

    fn attach(&self, stream: TcpStream) {
        self.hub.attach(stream, || self.snapshot().build_id.clone());
    }

    fn respond(&self, request: &Request) -> Response {
        let snapshot = self.snapshot();
        if let (Some(settling), Some(site)) = (&snapshot.settling, &snapshot.site)
            && settling.holds(site, &request.target)
        {
            settling.wait();
            return respond(&self.snapshot(), &request.target);
        }
        respond(&snapshot, &request.target)
    }
}

/// The answer to a request for `target` from `snapshot`.
pub fn respond(snapshot: &Snapshot, target: &str) -> Response {
    let path = match paths::parse(target) {
        Ok(path) => path,
        Err(refused) => return Response::text(400, &format!("拒绝访问：{refused}")),
    };
    let Some(site) = &snapshot.site else {
        return not_built(snapshot);
    };
    let key = path.key();
    if let Some(bytes) = site.get(&key) {
        return page(snapshot, 200, &key, bytes);
    }
    if path.index_key().is_some_and(|k| site.get(&k).is_some()) {
        let mut response = Response::text(301, "");
        response.headers.push(("Location", path.dir_url()));
        return response;
    }
    match site.get("404.html") {
        Some(bytes) => page(snapshot, 404, "404.html", bytes),
        None => Response::text(404, "页面未找到"),
    }
}

/// A file of the site; HTML pages get the reload script and the overlay.
fn page(snapshot: &Snapshot, status: u16, key: &str, bytes: &[u8]) -> Response {
    let content_type = content_type(key);
    let body = if content_type.starts_with("text/html") {
        reload::inject(
            bytes,
            &reload::injection(&snapshot.build_id, &snapshot.errors),
        )
    } else {
        bytes.to_vec()
    };
    Response {
        status,
        content_type,
        headers: Vec::new(),
        body,
    }
}

/// What every path answers before the first build succeeded: the errors,
/// and the script that reloads once they are fixed.
fn not_built(snapshot: &Snapshot) -> Response {
    let page = "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
                <title>网站尚未生成</title></head><body>\
                <p style=\"margin-top:40vh;text-align:center\">网站尚未成功生成：请改正错误，保存后页面会自动刷新。</p>\
                </body></html>\n";
    Response {
        status: 503,
        content_type: "text/html; charset=utf-8",
        headers: Vec::new(),
        body: reload::inject(
            page.as_bytes(),
            &reload::injection(&snapshot.build_id, &snapshot.errors),
        ),
    }
}

/// The media type of a site file, from its extension.
pub fn content_type(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ofd" => "application/ofd",
        "wps" => "application/vnd.ms-works",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Sink;
    use crate::serve::memory::MemorySink;

    fn snapshot(errors: &[&str]) -> Snapshot {
        let sink = MemorySink::default();
        sink.put("index.html", b"<html><body>home</body></html>")
            .unwrap();
        sink.put("a/b/index.html", b"<html><body>b</body></html>")
            .unwrap();
        sink.put("404.html", b"<html><body>missing</body></html>")
            .unwrap();
        sink.put("style.css", b"body{}").unwrap();
        sink.put("a/b/qr.png", b"\x89PNG").unwrap();
        Snapshot {
            site: Some(Arc::new(sink.into_site())),
            errors: errors.iter().map(|e| e.to_string()).collect(),
            build_id: "9-1".to_string(),
            settling: None,
        }
    }

    fn body(response: &Response) -> String {
        String::from_utf8_lossy(&response.body).into_owned()
    }

    #[test]
    fn pages_get_the_script_other_files_do_not() {
        let s = snapshot(&[]);
        let home = respond(&s, "/");
        assert_eq!(home.status, 200);
        assert_eq!(home.content_type, "text/html; charset=utf-8");
        assert!(body(&home).contains(EVENTS_PATH));
        assert!(!body(&home).contains("gongkai-errors"));
        let css = respond(&s, "/style.css");
        assert_eq!(css.content_type, "text/css; charset=utf-8");
        assert_eq!(css.body, b"body{}");
        assert_eq!(respond(&s, "/a/b/qr.png").content_type, "image/png");
        assert!(body(&respond(&s, "/a/b/")).contains(">b<script>"));
    }

    #[test]
    fn missing_pages_get_the_sites_404_and_directories_their_slash() {
        let s = snapshot(&[]);
        let missing = respond(&s, "/nowhere/");
        assert_eq!(missing.status, 404);
        assert!(body(&missing).contains("missing"));
        let redirect = respond(&s, "/a/b?x=1");
        assert_eq!(redirect.status, 301);
        assert_eq!(redirect.headers, vec![("Location", "/a/b/".to_string())]);
    }

    #[test]
    fn escapes_are_refused_before_any_lookup() {
        let s = snapshot(&[]);
        for target in [
            "/../index.html",
            "/%2e%2e/index.html",
            "/a/%2E%2E%2Findex.html",
        ] {
            assert_eq!(respond(&s, target).status, 400, "{target}");
        }
    }

    #[test]
    fn errors_show_over_the_last_good_site() {
        let s = snapshot(&["content/x.md:1:1: 错误: 坏了"]);
        let home = respond(&s, "/");
        assert_eq!(home.status, 200);
        assert!(body(&home).contains("home"));
        assert!(body(&home).contains("content/x.md:1:1: 错误: 坏了"));
        let none = Snapshot {
            site: None,
            errors: vec!["site.toml:3:1: 错误: x".to_string()],
            build_id: "9-2".to_string(),
            settling: None,
        };
        let page = respond(&none, "/any/");
        assert_eq!(page.status, 503);
        assert!(body(&page).contains("site.toml:3:1"));
    }

    #[test]
    fn content_types() {
        for (key, expected) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("gongkai.js", "text/javascript; charset=utf-8"),
            ("api/items.json", "application/json"),
            ("atom.xml", "application/xml; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("a/qr.svg", "image/svg+xml"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("a/附件.PDF", "application/pdf"),
            ("a/noext", "application/octet-stream"),
            (".well-known/x", "application/octet-stream"),
        ] {
            assert_eq!(content_type(key), expected, "{key}");
        }
    }

    #[test]
    fn builds_replace_each_other() {
        let preview = Preview::default();
        assert!(preview.snapshot().site.is_none());
        preview.publish(Ok(SiteFiles::default()));
        let first = preview.snapshot();
        assert!(first.site.is_some());
        preview.publish(Err(vec!["x.md:1:1: 错误".to_string()]));
        let second = preview.snapshot();
        assert!(Arc::ptr_eq(
            first.site.as_ref().unwrap(),
            second.site.as_ref().unwrap()
        ));
        assert_ne!(first.build_id, second.build_id);
        preview.publish(Ok(SiteFiles::default()));
        assert!(preview.snapshot().errors.is_empty());
    }

    fn site(files: &[(&str, &str)]) -> SiteFiles {
        let sink = MemorySink::default();
        for (rel, text) in files {
            sink.put(rel, text.as_bytes()).unwrap();
        }
        sink.into_site()
    }

    fn get(preview: &Preview, target: &str) -> Response {
        preview.respond(&Request {
            method: Method::Get,
            target: target.to_string(),
        })
    }

    #[test]
    fn requests_for_unsettled_files_wait_for_the_rest_of_the_rebuild() {
        let preview = Arc::new(Preview::default());
        preview.publish(Ok(site(&[
            ("item/index.html", "old item"),
            ("list/index.html", "old list"),
        ])));
        let early = site(&[
            ("item/index.html", "new item"),
            ("list/index.html", "old list"),
        ]);
        let unsettled: HashSet<String> = ["list/index.html".to_string()].into();
        preview.publish_early(early, unsettled);
        // The edited page and the files that will not change are served at once.
        assert!(body(&get(&preview, "/item/")).starts_with("new item"));
        // The list waits, and so does a file the site does not have yet.
        let waiting: Vec<_> = ["/list/", "/added/"]
            .into_iter()
            .map(|target| {
                let preview = Arc::clone(&preview);
                std::thread::spawn(move || get(&preview, target))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(200));
        assert!(
            waiting.iter().all(|w| !w.is_finished()),
            "answered too early"
        );
        preview.settle(site(&[
            ("item/index.html", "new item"),
            ("list/index.html", "new list"),
            ("added/index.html", "added"),
        ]));
        let answers: Vec<Response> = waiting.into_iter().map(|w| w.join().unwrap()).collect();
        assert!(body(&answers[0]).starts_with("new list"));
        assert!(body(&answers[1]).starts_with("added"));
        // Settled: nothing waits any more.
        assert!(preview.snapshot().settling.is_none());
        assert!(body(&get(&preview, "/list/")).starts_with("new list"));
    }
}
