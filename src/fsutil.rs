//! File-system helpers that put the path into every error.

use crate::diag::{Error, Result};
use std::path::Path;

/// Read a whole file as bytes.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| io_error("无法读取", path, source))
}

/// Write a whole file, creating parent directories when they are missing
/// (tried only after the write fails, which saves a system call per file
/// when the folder exists).
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    match std::fs::write(path, bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                create_dir_all(parent)?;
            }
            std::fs::write(path, bytes).map_err(|source| io_error("无法写入", path, source))
        }
        other => other.map_err(|source| io_error("无法写入", path, source)),
    }
}

/// Create a file that must not exist yet (never overwrite editors' work).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Other(format!("{} 已存在，不会覆盖", path.display()))
            } else {
                io_error("无法创建", path, source)
            }
        })?;
    file.write_all(bytes)
        .map_err(|source| io_error("无法写入", path, source))
}

/// Create a directory and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|source| io_error("无法创建目录", path, source))
}

/// Remove a directory tree if it exists.
pub fn remove_dir_all(path: &Path) -> Result<()> {
    match remove_tree(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_error("无法删除", path, e)),
        _ => Ok(()),
    }
}

/// Remove a directory tree, its top-level entries in parallel: removing
/// the previous output of a large site (tens of thousands of files) is
/// mostly kernel time, which two threads halve. Symbolic links are removed,
/// never followed.
pub fn remove_tree(path: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = match std::fs::read_dir(path) {
        Ok(entries) => entries.collect::<std::io::Result<_>>()?,
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return std::fs::remove_file(path);
        }
        Err(e) => return Err(e),
    };
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(path)
}

/// Rename a file or directory.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|source| io_error("无法重命名", from, source))
}

/// Build the error for a failed operation on `path`.
pub fn io_error(action: &'static str, path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remove_tree_removes_everything_and_follows_no_link() {
        let tmp = tempfile::tempdir().unwrap();
        let keep = tmp.path().join("keep");
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::write(keep.join("precious.txt"), "x").unwrap();
        let tree = tmp.path().join("tree");
        for dir in ["a/b/c", "d", "e/f"] {
            std::fs::create_dir_all(tree.join(dir)).unwrap();
            std::fs::write(tree.join(dir).join("index.html"), "x").unwrap();
        }
        std::fs::write(tree.join("top.txt"), "x").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&keep, tree.join("link")).unwrap();
            std::os::unix::fs::symlink(&keep, tree.join("d/link")).unwrap();
        }
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert!(keep.join("precious.txt").exists());
        // A missing tree is an error for remove_tree, not for remove_dir_all.
        assert!(remove_tree(&tree).is_err());
        remove_dir_all(&tree).unwrap();
        // A plain file is removed too.
        std::fs::write(&tree, "x").unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
    }
}
