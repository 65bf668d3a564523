//! Watching the site's sources with `notify`: `content/`, `themes/` and
//! `static/` recursively, and the root itself (not recursively) for
//! `site.toml` and for those folders appearing or disappearing.
//!
//! Events come in bursts: an editor's atomic save is a write to a
//! temporary file and a rename, `git checkout` touches hundreds of files,
//! and reading the sources during a build opens every one of them. A burst
//! ends when no event came for [`QUIET`] (or after [`LONGEST`] at most);
//! the paths it named are then looked at once, and that end state is what
//! [`super::classify`] judges. Events that cannot change a file (opening,
//! reading, closing without writing) are dropped on arrival.

use super::classify::{Entry, Touched, is_item_file};
use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// A burst ends after this long without an event.
pub const QUIET: Duration = Duration::from_millis(30);
/// A burst that keeps going is cut after this long, so a slow copy still
/// shows progress.
pub const LONGEST: Duration = Duration::from_millis(500);

/// The folders watched recursively.
const WATCHED: [&str; 3] = ["content", "themes", "static"];

/// The file watcher and the events it sends.
pub struct Watch {
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    root: PathBuf,
    /// Folders currently under a recursive watch.
    watched: HashSet<PathBuf>,
}

impl Watch {
    /// Start watching the site at `root` (an absolute, canonical path).
    pub fn start(root: &Path) -> notify::Result<Watch> {
        let (sender, events) = channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = sender.send(event);
        })?;
        watcher.watch(root, RecursiveMode::NonRecursive)?;
        let mut watch = Watch {
            watcher,
            events,
            root: root.to_path_buf(),
            watched: HashSet::new(),
        };
        watch.ensure_watches(&BTreeSet::new());
        Ok(watch)
    }

    /// Wait for the next burst of events; the paths it named, each with
    /// what it is now. `None` when the watcher has stopped.
    pub fn next_burst(&mut self) -> Option<Vec<Touched>> {
        let mut paths = BTreeSet::new();
        while paths.is_empty() {
            let event = self.events.recv().ok()?;
            self.collect(event, &mut paths);
        }
        let started = Instant::now();
        loop {
            let left = LONGEST.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match self.events.recv_timeout(QUIET.min(left)) {
                Ok(event) => self.collect(event, &mut paths),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        self.ensure_watches(&paths);
        Some(
            paths
                .into_iter()
                .map(|path| {
                    let now = entry_of(&path);
                    Touched { path, now }
                })
                .collect(),
        )
    }

    /// Add the paths of one event, unless it cannot have changed anything.
    fn collect(&self, event: notify::Result<Event>, paths: &mut BTreeSet<PathBuf>) {
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                crate::say!("警告：监视文件时出错：{e}");
                return;
            }
        };
        if event.need_rescan() {
            // The kernel dropped events: look at everything again.
            paths.insert(self.root.join("site.toml"));
            paths.extend(WATCHED.iter().map(|d| self.root.join(d)));
            return;
        }
        if is_read_only(&event.kind) {
            return;
        }
        paths.extend(event.paths);
    }

    /// Watch each of `content/`, `themes/`, `static/` that exists, again
    /// when it was replaced during the burst; forget those that are gone.
    fn ensure_watches(&mut self, burst: &BTreeSet<PathBuf>) {
        for name in WATCHED {
            let dir = self.root.join(name);
            let replaced = burst.contains(&dir);
            if self.watched.contains(&dir) && (replaced || !dir.is_dir()) {
                let _ = self.watcher.unwatch(&dir);
                self.watched.remove(&dir);
            }
            if dir.is_dir() && !self.watched.contains(&dir) {
                match self.watcher.watch(&dir, RecursiveMode::Recursive) {
                    Ok(()) => {
                        self.watched.insert(dir);
                    }
                    Err(e) => crate::say!(
                        "警告：无法监视 {}：{e}；其中的修改不会自动生效（Linux 上可调大 fs.inotify.max_user_watches）",
                        dir.display()
                    ),
                }
            }
        }
    }
}

/// Opening, reading and closing a file without writing change nothing;
/// builds cause thousands of these.
fn is_read_only(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(access) if *access != AccessKind::Close(AccessMode::Write))
}

/// What a path is now.
fn entry_of(path: &Path) -> Entry {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Entry::Dir,
        Ok(_) => Entry::File,
        Err(_) => Entry::Missing,
    }
}

/// The item Markdown files under `dir` (a folder of `root`), root-relative:
/// what [`super::classify::classify`] needs to know before a burst.
pub fn item_files(root: &Path, dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let walker = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker.filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.first().is_some_and(|p| p == "content") && is_item_file(&parts) {
            found.insert(parts.join("/"));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_not_changes() {
        assert!(is_read_only(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(is_read_only(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_read_only(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(!is_read_only(&EventKind::Remove(
            notify::event::RemoveKind::File
        )));
    }

    #[test]
    fn item_files_are_found_by_position() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for rel in [
            "content/d/news/a.md",
            "content/d/news/_index.md",
            "content/d/services/b/index.md",
            "content/d/services/b/form.pdf",
            "content/d/news/.hidden.md",
            "content/d/x.md",
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let found = item_files(root, &root.join("content"));
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            vec!["content/d/news/a.md", "content/d/services/b/index.md"]
        );
    }
}
