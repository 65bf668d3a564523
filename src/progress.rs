//! A progress bar for long builds: shown on a terminal only, and only once a
//! build has taken more than a second, so short and CI builds stay quiet.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Shared counters: rendering bumps `done`, the bar thread reads them.
#[derive(Debug, Default)]
pub struct Progress {
    /// Units of work planned.
    pub total: AtomicUsize,
    /// Units of work finished.
    pub done: AtomicUsize,
    finished: AtomicBool,
}

impl Progress {
    /// Record one finished unit.
    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
}

/// Draws the bar on standard error until dropped.
pub struct Bar {
    progress: Arc<Progress>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Bar {
    /// Start a bar for `progress`, unless `quiet` or standard error is not a terminal.
    pub fn start(progress: Arc<Progress>, quiet: bool) -> Bar {
        let thread = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let progress = Arc::clone(&progress);
            std::thread::spawn(move || draw_until_finished(&progress))
        });
        Bar { progress, thread }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.progress.finished.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn draw_until_finished(progress: &Progress) {
    let started = Instant::now();
    let mut drawn = false;
    while !progress.finished.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
        if started.elapsed() < Duration::from_secs(1) {
            continue;
        }
        let line = bar_line(
            progress.done.load(Ordering::Relaxed),
            progress.total.load(Ordering::Relaxed),
        );
        let _ = write!(std::io::stderr(), "\r{line}");
        drawn = true;
    }
    if drawn {
        let _ = write!(std::io::stderr(), "\r{}\r", " ".repeat(60));
    }
}

/// `生成中 [########            ] 40% 4000/10000`.
pub fn bar_line(done: usize, total: usize) -> String {
    let total = total.max(1);
    let done = done.min(total);
    let filled = done * 20 / total;
    format!(
        "生成中 [{}{}] {:>3}% {done}/{total}",
        "#".repeat(filled),
        " ".repeat(20 - filled),
        done * 100 / total
    )
}

#[cfg(test)]
mod tests {
    use super::bar_line;

    #[test]
    fn bar_is_proportional() {
        assert_eq!(bar_line(0, 10), "生成中 [                    ]   0% 0/10");
        assert_eq!(bar_line(5, 10), "生成中 [##########          ]  50% 5/10");
        assert_eq!(bar_line(12, 10), "生成中 [####################] 100% 10/10");
        assert_eq!(bar_line(0, 0), "生成中 [                    ]   0% 0/1");
    }
}
