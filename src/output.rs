//! Writing the site: every file goes into a fresh staging directory beside
//! the output, which replaces the output only when the whole build worked.
//! A failed or killed build leaves the previous output as it was.

use crate::diag::{Diagnostic, Error, Result, display_path};
use crate::fsutil;
use std::collections::HashSet;
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
    seen: Mutex<HashSet<String>>,
}

impl Tally {
    /// Count one file; refuses a path outside the output or written twice.
    pub fn add(&self, rel: &str, len: usize) -> Result<()> {
        if !is_safe_rel(rel) {
            return Err(Error::Other(format!("拒绝写入输出目录之外的路径：{rel}")));
        }
        let fresh = self
            .seen
            .lock()
            .map(|mut s| s.insert(rel.to_string()))
            .unwrap_or(true);
        if !fresh {
            return Err(Error::Other(format!(
                "两个页面要写入同一个文件：{rel}（请检查旧地址 aliases 与静态文件）"
            )));
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len as u64, Ordering::Relaxed);
        Ok(())
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

/// A staging directory that becomes the output on [`Staging::commit`].
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// What was written.
    pub tally: Tally,
}

impl Staging {
    /// Create a fresh staging directory beside `target`.
    pub fn create(target: &Path) -> Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fsutil::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        remove_stale(parent, &name);
        let dir = parent.join(format!(".{name}.gongkai-staging-{}", std::process::id()));
        fsutil::remove_dir_all(&dir)?;
        fsutil::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            tally: Tally::default(),
        })
    }

    /// Replace the output with the staging directory. On Linux the two are
    /// exchanged in one atomic step, so at no moment is there no output; a
    /// build killed after that step leaves only a stale staging directory
    /// beside the output, which the next build removes.
    pub fn commit(self) -> Result<()> {
        if self.target.exists() && exchange(&self.dir, &self.target) {
            // self.dir now holds the previous output; Drop removes it.
            return Ok(());
        }
        let parent = self.dir.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = self
            .target
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let old = parent.join(format!(".{name}.gongkai-old-{}", std::process::id()));
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
        Ok(())
    }
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
        self.tally.add(rel, bytes.len())?;
        crate::timings::span(crate::timings::Span::Write, || {
            fsutil::write(&self.dir.join(rel), bytes)
        })
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
        staging.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(std::fs::read(target.join("new.html")).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
