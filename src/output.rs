//! Writing the site: every file goes into a fresh staging directory beside
//! the output, which replaces the output only when the whole build worked.
//! A failed or killed build leaves the previous output as it was.

use crate::diag::{Diagnostic, Error, Result, display_path};
use crate::fsutil;
use crate::incremental::{FileRecord, TreeRecord};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// Where rendered files go.
pub trait Sink: Sync {
    /// Store one file at a site-relative path (forward slashes).
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()>;

    /// Store a rendered file that only the main copy of a site has (QR
    /// images, short links, the sitemap). The same as `put` for a site with
    /// one copy.
    fn put_main(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.put(rel, bytes)
    }

    /// Store a file copied as it is (attachments, the site's `static/`),
    /// in the main copy only and never changed.
    fn put_raw(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.put(rel, bytes)
    }
}

/// Counts what was produced.
#[derive(Default)]
pub struct Tally {
    files: AtomicUsize,
    bytes: AtomicU64,
    /// Every file, with what the staging directory knows of it.
    seen: Mutex<HashMap<String, FileRecord>>,
}

impl Tally {
    /// Count one file; refuses a path outside the output or written twice.
    pub fn add(&self, rel: &str, len: usize) -> Result<()> {
        self.add_record(
            rel,
            FileRecord {
                hash: 0,
                size: len as u64,
                ino: 0,
            },
        )
    }

    /// Count one file with its record.
    pub fn add_record(&self, rel: &str, record: FileRecord) -> Result<()> {
        if !is_safe_rel(rel) {
            return Err(Error::Other(format!("拒绝写入输出目录之外的路径：{rel}")));
        }
        let fresh = self
            .seen
            .lock()
            .map(|mut s| {
                let before = s.len();
                s.entry(rel.to_string()).or_insert(record);
                s.len() > before
            })
            .unwrap_or(true);
        if !fresh {
            return Err(Error::Other(format!(
                "两个页面要写入同一个文件：{rel}（请检查旧地址 aliases 与静态文件）"
            )));
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(record.size, Ordering::Relaxed);
        Ok(())
    }

    /// Every file counted, with its record.
    fn take_records(&self) -> HashMap<String, FileRecord> {
        std::mem::take(&mut *self.seen.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Set the inode of a file counted by [`Tally::add_record`] (known
    /// once it is written).
    fn set_inode(&self, rel: &str, ino: u64) {
        if let Ok(mut seen) = self.seen.lock()
            && let Some(record) = seen.get_mut(rel)
        {
            record.ino = ino;
        }
    }

    /// Take back a file counted by [`Tally::add`].
    pub fn remove(&self, rel: &str, len: usize) {
        let removed = self
            .seen
            .lock()
            .map(|mut s| s.remove(rel).is_some())
            .unwrap_or(false);
        if removed {
            self.files.fetch_sub(1, Ordering::Relaxed);
            self.bytes.fetch_sub(len as u64, Ordering::Relaxed);
        }
    }

    /// Files produced.
    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Bytes produced.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
}

/// A relative path that stays inside the output directory.
pub fn is_safe_rel(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && rel
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
}

/// A sink that only counts (for `check`).
#[derive(Default)]
pub struct Discard {
    /// What would have been written.
    pub tally: Tally,
}

impl Sink for Discard {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.tally.add(rel, bytes.len())
    }
}

/// A staging directory that becomes the output on [`Staging::commit`]:
/// a fresh one, or the spare tree the build before kept (see
/// [`crate::incremental`]), where only files whose bytes changed are
/// written.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// What was written.
    pub tally: Tally,
    /// What the staging directory held when the build started.
    held: HashMap<String, FileRecord>,
    /// Files written or copied (not already in place, not hard-linked).
    written: AtomicUsize,
}

/// What [`Staging::commit`] did.
pub struct Committed {
    /// The new output's record.
    pub record: TreeRecord,
    /// Whether the previous output was kept as the spare tree.
    pub kept_previous: bool,
}

impl Staging {
    /// Create a fresh staging directory beside `target`.
    pub fn create(target: &Path) -> Result<Staging> {
        let (parent, name) = parent_and_name(target);
        fsutil::create_dir_all(&parent)?;
        remove_stale(&parent, &name);
        let dir = sibling(target, &format!("staging-{}", std::process::id()));
        fsutil::remove_dir_all(&dir)?;
        fsutil::create_dir_all(&dir)?;
        Ok(Staging::at(dir, target, HashMap::new()))
    }

    fn at(dir: PathBuf, target: &Path, held: HashMap<String, FileRecord>) -> Staging {
        Staging {
            dir,
            target: target.to_path_buf(),
            tally: Tally::default(),
            held,
            written: AtomicUsize::new(0),
        }
    }

    /// Stage into the spare tree beside `target` when there is one and it
    /// still is what `record` says; else into a fresh directory (a spare
    /// that does not match is removed).
    pub fn reuse(target: &Path, record: Option<TreeRecord>) -> Result<Staging> {
        let spare = sibling(target, "spare");
        let Some(record) = record else {
            fsutil::remove_dir_all(&spare)?;
            return Staging::create(target);
        };
        let (parent, name) = parent_and_name(target);
        remove_stale(&parent, &name);
        // Claim the spare by renaming it: of two builds started together,
        // only one gets it.
        let dir = sibling(target, &format!("staging-{}", std::process::id()));
        fsutil::remove_dir_all(&dir)?;
        if std::fs::rename(&spare, &dir).is_err() {
            return Staging::create(target);
        }
        if !record.matches(&dir) {
            fsutil::remove_dir_all(&dir)?;
            return Staging::create(target);
        }
        Ok(Staging::at(dir, target, record.files))
    }

    /// Files written or copied by this build (the others were in place or
    /// hard-linked to the same file in the output).
    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// Take the files of one job from the current output `from` (with the
    /// record of the build that wrote it). Either all of them are taken or
    /// none (`false`; the job must then be rendered).
    pub fn keep(&self, from: &Path, record: &TreeRecord, files: &[(String, FileRecord)]) -> bool {
        let mut taken = Vec::with_capacity(files.len());
        for (rel, file) in files {
            // The spare tree's copy, when it has the same bytes, stays.
            let now = match self.held.get(rel).filter(|held| held.same_bytes(file)) {
                Some(held) => *held,
                None => match self.copy_in(from, record, rel, file) {
                    Some(ino) => FileRecord { ino, ..*file },
                    None => break,
                },
            };
            if self.tally.add_record(rel, now).is_err() {
                break;
            }
            taken.push((rel, now));
        }
        if taken.len() < files.len() {
            for (rel, file) in taken {
                self.tally.remove(rel, file.size as usize);
            }
            return false;
        }
        true
    }

    /// Take `rel` from the tree `from` as a hard link to the same file (a
    /// copy where the file system has no hard links); returns the inode it
    /// has here, or `None` when the source is not what the tree's record
    /// says (changed by hand) or it cannot be taken. An unchanged file so
    /// costs one system call and no space: `public/` and the spare tree
    /// share it.
    fn copy_in(
        &self,
        from: &Path,
        record: &TreeRecord,
        rel: &str,
        file: &FileRecord,
    ) -> Option<u64> {
        crate::timings::span(crate::timings::Span::Write, || {
            let source = from.join(rel);
            if !std::fs::symlink_metadata(&source).is_ok_and(|meta| record.unchanged(file, &meta)) {
                return None;
            }
            let dest = self.dir.join(rel);
            let link = || {
                if !self.held.is_empty() {
                    // The reused tree's own copy (with other bytes) goes.
                    let _ = std::fs::remove_file(&dest);
                }
                std::fs::hard_link(&source, &dest)
            };
            let linked = link().or_else(|_| {
                if !self.held.is_empty() {
                    self.clear_way(rel);
                }
                if let Some(parent) = dest.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                link()
            });
            if linked.is_ok() {
                return Some(file.ino);
            }
            self.written.fetch_add(1, Ordering::Relaxed);
            let copied = std::fs::copy(&source, &dest).ok()?;
            let meta = std::fs::symlink_metadata(&dest).ok()?;
            (copied == file.size).then(|| crate::incremental::inode(&meta))
        })
    }

    /// Create the file `rel` at `path`, making its folders. In a reused
    /// tree, the file there is removed first rather than overwritten: it
    /// may be a hard link shared with `public/` (see [`Staging::copy_in`]),
    /// which must not change while the build runs; a file or folder in the
    /// way is removed too.
    fn open_for_writing(&self, rel: &str, path: &Path) -> std::io::Result<std::fs::File> {
        if !self.held.is_empty() {
            let _ = std::fs::remove_file(path);
        }
        std::fs::File::create(path).or_else(|_| {
            if !self.held.is_empty() {
                self.clear_way(rel);
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::File::create(path)
        })
    }

    /// Write `bytes` to `rel`.
    fn write_file(&self, rel: &str, bytes: &[u8]) -> Result<u64> {
        use std::io::Write;
        let path = self.dir.join(rel);
        let io = |e| crate::fsutil::io_error("无法写入", &path, e);
        let mut file = self.open_for_writing(rel, &path).map_err(io)?;
        file.write_all(bytes).map_err(io)?;
        Ok(crate::incremental::inode(&file.metadata().map_err(io)?))
    }

    /// Make room for a file at `rel` in a reused tree: remove a folder
    /// where the file goes, and files where its folders go.
    fn clear_way(&self, rel: &str) {
        let full = self.dir.join(rel);
        if full.is_dir() {
            let _ = fsutil::remove_tree(&full);
        }
        let mut prefix = PathBuf::new();
        for part in rel.split('/') {
            prefix.push(part);
            let path = self.dir.join(&prefix);
            if path != full && std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir()) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }

    /// Remove what the reused tree held and this build did not write.
    fn remove_leftovers(&self, files: &HashMap<String, FileRecord>) {
        let mut dirs: BTreeSet<&str> = BTreeSet::new();
        for rel in self.held.keys().filter(|rel| !files.contains_key(*rel)) {
            let _ = std::fs::remove_file(self.dir.join(rel));
            let mut rest = rel.as_str();
            while let Some(cut) = rest.rfind('/') {
                rest = &rest[..cut];
                dirs.insert(rest);
            }
        }
        // Deepest first; a folder that still holds something stays.
        let mut dirs: Vec<&str> = dirs.into_iter().collect();
        dirs.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
        for dir in dirs {
            let _ = std::fs::remove_dir(self.dir.join(dir));
        }
    }

    /// Replace the output with the staging directory. On Linux the two are
    /// exchanged in one atomic step, so at no moment is there no output; a
    /// build killed after that step leaves only a stale staging directory
    /// beside the output, which the next build removes. With
    /// `keep_previous`, the previous output becomes the spare tree the next
    /// build updates (when the exchange worked), else it is removed.
    pub fn commit(self, keep_previous: bool) -> Result<Committed> {
        let files = self.tally.take_records();
        if !self.held.is_empty() {
            self.remove_leftovers(&files);
        }
        let record = TreeRecord::finished_now(files);
        if self.target.exists() && exchange(&self.dir, &self.target) {
            // self.dir now holds the previous output.
            let spare = sibling(&self.target, "spare");
            let kept_previous = keep_previous
                && fsutil::remove_dir_all(&spare).is_ok()
                && std::fs::rename(&self.dir, &spare).is_ok();
            // Drop removes the previous output unless it was kept.
            return Ok(Committed {
                record,
                kept_previous,
            });
        }
        let old = sibling(&self.target, &format!("old-{}", std::process::id()));
        let had_output = self.target.exists();
        if had_output {
            fsutil::rename(&self.target, &old)?;
        }
        if let Err(e) = fsutil::rename(&self.dir, &self.target) {
            if had_output {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        if had_output {
            fsutil::remove_dir_all(&old)?;
        }
        std::mem::forget(self);
        Ok(Committed {
            record,
            kept_previous: false,
        })
    }
}

/// Held while a build writes beside and into an output directory: builds
/// into the same output take turns (each one's build state describes the
/// trees it left). Released when dropped.
pub struct OutputLock {
    _file: std::fs::File,
}

/// Lock the output `target` (`.<name>.gongkai-lock` beside it), waiting
/// for another build that holds it.
pub fn lock_output(target: &Path) -> Result<OutputLock> {
    let (parent, _) = parent_and_name(target);
    fsutil::create_dir_all(&parent)?;
    let path = sibling(target, "lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| fsutil::io_error("无法创建", &path, e))?;
    if file.try_lock().is_err() {
        crate::say!(
            "另一个 gongkai build 正在生成 {}，等它完成后继续……",
            target.display()
        );
        file.lock()
            .map_err(|e| fsutil::io_error("无法锁定", &path, e))?;
    }
    Ok(OutputLock { _file: file })
}

/// `.<name>.gongkai-<what>` beside the output `target` (`<name>` is the
/// output folder's name): staging directories, the spare tree, the build
/// state and the lock all live there, on the output's file system.
pub fn sibling(target: &Path, what: &str) -> PathBuf {
    let (parent, name) = parent_and_name(target);
    parent.join(format!(".{name}.gongkai-{what}"))
}

fn parent_and_name(target: &Path) -> (PathBuf, String) {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    (parent, name)
}

/// Atomically exchange two paths (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) = (
        std::ffi::CString::new(a.as_os_str().as_bytes()),
        std::ffi::CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both pointers are valid NUL-terminated strings for the call's duration.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    rc == 0
}

/// Elsewhere fall back to two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

impl Drop for Staging {
    fn drop(&mut self) {
        // An abandoned build: leave nothing half-written behind (or, after
        // the exchange, the previous output).
        let _ = fsutil::remove_tree(&self.dir);
    }
}

impl Sink for Staging {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let (hash, size) = (crate::incremental::hash(bytes), bytes.len() as u64);
        let fresh = FileRecord { hash, size, ino: 0 };
        match self.held.get(rel).filter(|held| held.same_bytes(&fresh)) {
            // A path written twice fails the build.
            Some(held) => self.tally.add_record(rel, *held),
            None => {
                self.tally.add_record(rel, fresh)?;
                self.written.fetch_add(1, Ordering::Relaxed);
                let ino = crate::timings::span(crate::timings::Span::Write, || {
                    self.write_file(rel, bytes)
                })?;
                self.tally.set_inode(rel, ino);
                Ok(())
            }
        }
    }
}

/// Remove staging or old directories left by a build that was killed.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let staging = format!(".{name}.gongkai-staging-");
    let old = format!(".{name}.gongkai-old-");
    for entry in entries.filter_map(std::result::Result::ok) {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&staging) || file.starts_with(&old) {
            let _ = fsutil::remove_tree(&entry.path());
        }
    }
}

/// Every file under `dir` as (relative path, bytes), sorted; symlinks that
/// leave `root` are refused with a diagnostic. A missing `dir` is empty.
pub fn read_tree(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(std::result::Result::ok)
    {
        let path = entry.path();
        if entry.path_is_symlink()
            && !path
                .canonicalize()
                .is_ok_and(|t| t.starts_with(&canonical_root))
        {
            let message = "符号链接指向网站目录之外（或已失效），不会被复制";
            diags.push(Diagnostic::error(display_path(root, path), 1, 1, message));
            continue;
        }
        if !path.is_file() {
            continue;
        }
        let rel = display_path(dir, path);
        match std::fs::read(path) {
            Ok(bytes) => out.push((rel, bytes)),
            Err(e) => diags.push(Diagnostic::error(
                display_path(root, path),
                1,
                1,
                format!("无法读取：{e}"),
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_cannot_escape() {
        assert!(is_safe_rel("a/b/index.html"));
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "a\\b",
            "./a",
        ] {
            assert!(!is_safe_rel(bad), "{bad}");
        }
    }

    #[test]
    fn commit_replaces_and_drop_cleans_up() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();
        {
            let staging = Staging::create(&target).unwrap();
            staging.put("new.html", b"new").unwrap();
            // dropped without commit
        }
        assert!(target.join("old.html").exists());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
        let staging = Staging::create(&target).unwrap();
        staging.put("new.html", b"new").unwrap();
        assert!(staging.put("new.html", b"again").is_err());
        staging.commit(false).unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(std::fs::read(target.join("new.html")).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
