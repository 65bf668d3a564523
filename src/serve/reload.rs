//! Live reload: the server-sent event stream at `/__gongkai/events`, and
//! the few lines injected into every served HTML page (never into `build`
//! output) that listen to it and show build errors.
//!
//! Each build, good or failed, gets an id. A page is served with the id of
//! the build it shows; the stream sends the current id when a tab connects
//! and again after every build, and the page reloads when the two differ.
//! So a rebuild that finished between serving a page and its connecting is
//! not missed, and a tab left open while `serve` was restarted reloads too.

use crate::render::escape_html;
use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::sync::Mutex;
use std::time::Duration;
use unicode_width::UnicodeWidthStr;

/// Path of the event stream.
pub const EVENTS_PATH: &str = "/__gongkai/events";

/// Most open streams kept; beyond it the oldest is closed (its tab
/// reconnects by itself if it is still open).
const MAX_LISTENERS: usize = 64;

/// How long a write to one tab may block the others.
const WRITE_TIMEOUT: Duration = Duration::from_millis(250);

/// The open event streams.
#[derive(Default)]
pub struct Hub {
    listeners: Mutex<Vec<TcpStream>>,
}

impl Hub {
    /// Take over a connection: send the stream's head and `current()`, the
    /// id of the build being served now, then keep it for later builds.
    /// `current` is read under the hub's lock, so a build published at the
    /// same moment is either seen here or announced to this tab.
    pub fn attach(&self, mut stream: TcpStream, current: impl FnOnce() -> String) {
        let mut listeners = self.lock();
        let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                    Cache-Control: no-store\r\nX-Accel-Buffering: no\r\n\r\nretry: 1000\n\n";
        let greeting = format!("{head}{}", build_event(&current()));
        if stream.write_all(greeting.as_bytes()).is_err() {
            return;
        }
        if listeners.len() >= MAX_LISTENERS {
            let oldest = listeners.remove(0);
            let _ = oldest.shutdown(Shutdown::Both);
        }
        listeners.push(stream);
    }

    /// Publish a build: `swap()` makes it the one served and returns its
    /// id, then every open tab is told. Tabs that are gone are dropped.
    pub fn publish(&self, swap: impl FnOnce() -> String) {
        let mut listeners = self.lock();
        let event = build_event(&swap());
        listeners.retain_mut(|s| s.write_all(event.as_bytes()).is_ok());
    }

    /// Send a comment to every tab so dead connections are found and
    /// proxies keep the stream open.
    pub fn heartbeat(&self) {
        self.lock()
            .retain_mut(|s| s.write_all(b": keep-alive\n\n").is_ok());
    }

    /// Number of open streams.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when no tab listens.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<TcpStream>> {
        self.listeners.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One `build` event carrying a build id.
pub fn build_event(id: &str) -> String {
    format!("event: build\ndata: {id}\n\n")
}

/// What is added before `</body>` of a served HTML page: the error overlay
/// when the last build failed, and the script that reloads the page.
pub fn injection(build_id: &str, errors: &[String]) -> String {
    let mut html = String::new();
    if !errors.is_empty() {
        html.push_str(&overlay(errors));
    }
    // The id is made of digits and `-` only; JSON quoting keeps it a string.
    let id = serde_json::Value::String(build_id.to_string());
    html.push_str(&format!(
        "<script>/* gongkai serve */(()=>{{const id={id};\
         const es=new EventSource(\"{EVENTS_PATH}\");\
         es.addEventListener(\"build\",e=>{{if(e.data!==id){{es.close();location.reload();}}}});}})();</script>\n"
    ));
    html
}

/// The error overlay: each problem as `gongkai check` prints it, its
/// message and then its source line with a caret under the column.
fn overlay(errors: &[String]) -> String {
    let entries: String = errors.iter().map(|e| entry_html(e)).collect();
    format!(
        "<div id=\"gongkai-errors\" role=\"alert\" style=\"position:fixed;top:0;left:0;right:0;\
         z-index:2147483647;max-height:70vh;overflow:auto;margin:0;padding:12px 16px;\
         background:#fff4f4;color:#8a0000;border-bottom:4px solid #c00;\
         box-shadow:0 2px 8px rgba(0,0,0,.3);font:14px/1.6 monospace;text-align:left\">\
         <button type=\"button\" onclick=\"this.parentNode.remove()\" \
         style=\"float:right;font:inherit\">关闭</button>\
         <strong>网站生成失败，下面是错误；页面仍显示上一次成功生成的内容。改正后会自动刷新。</strong>\
         {entries}</div>\n"
    )
}

/// One problem: its message, wrapped as needed, and its source line with
/// the caret. The caret line repeats the characters before the column,
/// hidden, so the caret stands under the right character in any font.
fn entry_html(entry: &str) -> String {
    let mut lines = entry.split('\n');
    let message = lines.next().unwrap_or("");
    let mut html = format!(
        "<p style=\"margin:8px 0 0;white-space:pre-wrap\">{}</p>",
        escape_html(message)
    );
    let rest: Vec<&str> = lines.collect();
    if let [source, caret] = rest.as_slice()
        && let (Some((number, text)), Some((pad, marks))) =
            (source.split_once(" | "), caret.split_once(" | "))
    {
        let width = marks.trim_end_matches('^').width();
        let mut before = String::new();
        for c in text.chars() {
            if before.width() >= width {
                break;
            }
            before.push(c);
        }
        html.push_str(&format!(
            "<pre style=\"margin:0;white-space:pre;overflow-x:auto;font:inherit\">{} | {}\n{} | \
             <span style=\"visibility:hidden\">{}</span><b>^</b></pre>",
            escape_html(number),
            escape_html(text),
            pad,
            escape_html(&before)
        ));
    } else {
        for line in rest {
            html.push_str(&format!(
                "<pre style=\"margin:0;font:inherit\">{}</pre>",
                escape_html(line)
            ));
        }
    }
    html
}

/// Insert `addition` before the last `</body>` of a page (any case), or at
/// its end when it has none.
pub fn inject(page: &[u8], addition: &str) -> Vec<u8> {
    let at = page
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + addition.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(addition.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injected_before_the_last_body_end() {
        let page = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(page, "<script></script>")).unwrap();
        assert_eq!(out, "<html><body><p>x</p><script></script></BODY></html>");
        let bare = String::from_utf8(inject(b"<p>x</p>", "<i></i>")).unwrap();
        assert_eq!(bare, "<p>x</p><i></i>");
    }

    #[test]
    fn overlay_escapes_errors_and_appears_only_with_errors() {
        let quiet = injection("1-2", &[]);
        assert!(!quiet.contains("gongkai-errors"));
        assert!(quiet.contains("const id=\"1-2\""));
        assert!(quiet.contains(EVENTS_PATH));
        let loud = injection(
            "1-3",
            &["content/a/b/x.md:2:1: 错误: <script>alert(1)</script>".to_string()],
        );
        assert!(loud.contains("gongkai-errors"));
        assert!(loud.contains("content/a/b/x.md:2:1: 错误: &lt;script&gt;"));
        assert!(!loud.contains("<script>alert"));
    }

    #[test]
    fn overlay_shows_the_source_line_with_the_caret_under_the_column() {
        let entry = "a.md:2:3: 错误: 全角冒号\n 2 | 标题：<b>\n   |     ^";
        let html = injection("1-4", &[entry.to_string()]);
        assert!(html.contains(">a.md:2:3: 错误: 全角冒号</p>"), "{html}");
        assert!(
            html.contains(
                " 2 | 标题：&lt;b&gt;\n   | <span style=\"visibility:hidden\">标题</span><b>^</b></pre>"
            ),
            "{html}"
        );
    }

    #[test]
    fn events_name_the_build() {
        assert_eq!(build_event("7-1"), "event: build\ndata: 7-1\n\n");
    }
}
