//! `build --timings`: where a build's time goes. Phases that run one after
//! the other are timed by the wall clock; work spread over threads inside
//! rendering is summed across threads (so it can exceed the wall time).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Work measured inside the parallel stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Reading and parsing item files.
    Parse,
    /// Markdown to HTML.
    Markdown,
    /// Template rendering.
    Templates,
    /// Encoding QR symbols.
    QrEncode,
    /// QR SVG and PNG files.
    QrImages,
    /// Feeds, sitemap and open data.
    Feeds,
    /// The search index.
    Search,
    /// Simplified → Traditional conversion.
    Convert,
    /// Handing files to the output (writing them).
    Write,
}

const SPANS: [(Span, &str); 9] = [
    (Span::Parse, "parse (read + front matter)"),
    (Span::Markdown, "markdown"),
    (Span::Templates, "templates"),
    (Span::QrEncode, "QR encode"),
    (Span::QrImages, "QR svg + png"),
    (Span::Feeds, "feeds, sitemap, open data"),
    (Span::Search, "search index"),
    (Span::Convert, "Traditional conversion"),
    (Span::Write, "write files"),
];

static ENABLED: AtomicBool = AtomicBool::new(false);
static NANOS: [AtomicU64; 9] = [const { AtomicU64::new(0) }; 9];
static PHASES: Mutex<Vec<(&'static str, Duration)>> = Mutex::new(Vec::new());

/// Start collecting (only `build --timings` pays for it).
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

fn slot(span: Span) -> usize {
    SPANS.iter().position(|(s, _)| *s == span).unwrap_or(0)
}

/// Run `f`, adding its duration to `span` when enabled.
pub fn span<T>(span: Span, f: impl FnOnce() -> T) -> T {
    if !ENABLED.load(Ordering::Relaxed) {
        return f();
    }
    let started = Instant::now();
    let value = f();
    NANOS[slot(span)].fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
    value
}

/// Add `took` to `span` (for work timed in pieces).
pub fn add(span: Span, took: Duration) {
    if ENABLED.load(Ordering::Relaxed) {
        NANOS[slot(span)].fetch_add(took.as_nanos() as u64, Ordering::Relaxed);
    }
}

/// Run `f` as a sequential phase of the build, timed by the wall clock.
pub fn phase<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    if !ENABLED.load(Ordering::Relaxed) {
        return f();
    }
    let started = Instant::now();
    let value = f();
    if let Ok(mut phases) = PHASES.lock() {
        phases.push((name, started.elapsed()));
    }
    value
}

/// The report printed after the build.
pub fn report(total: Duration) -> String {
    let mut text = String::from("阶段（墙钟时间）:\n");
    if let Ok(phases) = PHASES.lock() {
        for (name, took) in phases.iter() {
            text.push_str(&format!(
                "  {name:<32} {:>8.1} ms\n",
                took.as_secs_f64() * 1000.0
            ));
        }
    }
    text.push_str(&format!(
        "  {:<32} {:>8.1} ms\n",
        "total",
        total.as_secs_f64() * 1000.0
    ));
    text.push_str("并行工作（各线程时间之和）:\n");
    for (i, (_, name)) in SPANS.iter().enumerate() {
        let nanos = NANOS[i].load(Ordering::Relaxed);
        if nanos > 0 {
            text.push_str(&format!("  {name:<32} {:>8.1} ms\n", nanos as f64 / 1e6));
        }
    }
    text
}
