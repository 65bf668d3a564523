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
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_error("无法删除", path, e)),
        _ => Ok(()),
    }
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
