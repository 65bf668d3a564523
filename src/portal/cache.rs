//! Each member's last good copy of its export, kept under
//! `.gongkai-cache/members/<id>/` with the HTTP validators (ETag,
//! Last-Modified) it came with.
//!
//! "Good" means it was parsed and checked. A copy is a folder of the three
//! files and `validators.json`; the file `current` names the folder of the
//! member's copy. A new copy is written into a new folder, then `current`
//! is replaced (written beside it and renamed over it), then older folders
//! are removed: a build that stops at any point leaves the previous copy
//! or the new one, never a mix of the two.

use crate::diag::{Error, Result};
use crate::fsutil;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file naming the current copy's folder.
const CURRENT: &str = "current";
/// Prefix of copy folders.
const COPY_PREFIX: &str = "copy-";
/// The validators of a copy's files.
const VALIDATORS: &str = "validators.json";

/// What a server said identifies a version of a file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validator {
    /// `ETag`, sent back as `If-None-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// `Last-Modified`, sent back as `If-Modified-Since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl Validator {
    /// True when there is nothing to send back.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// The export files of a copy, by the name they are kept under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CopyFile {
    /// `site.json`.
    Site,
    /// `items.json`.
    Items,
    /// `search.jsonl.gz`.
    Search,
}

impl CopyFile {
    /// Every file of a copy.
    pub const ALL: [CopyFile; 3] = [CopyFile::Site, CopyFile::Items, CopyFile::Search];

    /// Its name in a copy folder.
    pub fn name(self) -> &'static str {
        match self {
            CopyFile::Site => "site.json",
            CopyFile::Items => "items.json",
            CopyFile::Search => "search.jsonl.gz",
        }
    }
}

/// A member's copy in the cache.
#[derive(Debug, Clone)]
pub struct CachedCopy {
    /// Its folder.
    pub dir: PathBuf,
    /// The validators its files came with, by file name.
    pub validators: BTreeMap<String, Validator>,
}

impl CachedCopy {
    /// Path of one of its files.
    pub fn path(&self, file: CopyFile) -> PathBuf {
        self.dir.join(file.name())
    }

    /// The validator one of its files came with.
    pub fn validator(&self, file: CopyFile) -> Option<&Validator> {
        self.validators.get(file.name()).filter(|v| !v.is_empty())
    }
}

/// The members' copies under one cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    members: PathBuf,
}

impl Cache {
    /// The cache under `cache_dir` (a site's `.gongkai-cache`).
    pub fn new(cache_dir: &Path) -> Cache {
        Cache {
            members: cache_dir.join("members"),
        }
    }

    /// The folder of one member (`id` is checked to be a plain segment by
    /// the configuration).
    pub fn member_dir(&self, id: &str) -> PathBuf {
        self.members.join(id)
    }

    /// The member's current copy, if it has one whose folder exists.
    pub fn current(&self, id: &str) -> Option<CachedCopy> {
        let member = self.member_dir(id);
        let name = std::fs::read_to_string(member.join(CURRENT)).ok()?;
        let name = name.trim();
        if !name.starts_with(COPY_PREFIX) || name.contains(['/', '\\']) {
            return None;
        }
        let dir = member.join(name);
        if !dir.is_dir() {
            return None;
        }
        let validators = std::fs::read(dir.join(VALIDATORS))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Some(CachedCopy { dir, validators })
    }

    /// Keep a new good copy of the member: `files` gives each file's
    /// bytes, `validators` what its server sent. Returns the stored copy.
    pub fn store(
        &self,
        id: &str,
        files: &[(CopyFile, &[u8])],
        validators: &BTreeMap<String, Validator>,
    ) -> Result<CachedCopy> {
        let member = self.member_dir(id);
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("{COPY_PREFIX}{stamp}-{}", std::process::id());
        let dir = member.join(&name);
        fsutil::create_dir_all(&dir)?;
        for (file, bytes) in files {
            fsutil::write(&dir.join(file.name()), bytes)?;
        }
        let json =
            serde_json::to_vec_pretty(validators).map_err(|e| Error::Other(e.to_string()))?;
        fsutil::write(&dir.join(VALIDATORS), &json)?;
        let pointer = member.join(format!("{CURRENT}.{}.tmp", std::process::id()));
        fsutil::write(&pointer, name.as_bytes())?;
        fsutil::rename(&pointer, &member.join(CURRENT))?;
        self.remove_other_copies(&member, &name);
        Ok(CachedCopy {
            dir,
            validators: validators.clone(),
        })
    }

    /// Remove every copy folder but `keep` (best effort: a folder left
    /// behind is removed by the next store).
    fn remove_other_copies(&self, member: &Path, keep: &str) {
        let Ok(entries) = std::fs::read_dir(member) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(COPY_PREFIX) && name != keep {
                let _ = fsutil::remove_dir_all(&entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validators(etag: &str) -> BTreeMap<String, Validator> {
        let validator = Validator {
            etag: Some(etag.to_string()),
            last_modified: None,
        };
        BTreeMap::from([("site.json".to_string(), validator)])
    }

    #[test]
    fn a_stored_copy_becomes_current_and_replaces_the_one_before() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::new(tmp.path());
        assert!(cache.current("m").is_none());
        let first = cache
            .store(
                "m",
                &[(CopyFile::Site, b"one"), (CopyFile::Items, b"[]")],
                &validators("\"1\""),
            )
            .unwrap();
        let current = cache.current("m").unwrap();
        assert_eq!(current.dir, first.dir);
        assert_eq!(std::fs::read(current.path(CopyFile::Site)).unwrap(), b"one");
        assert_eq!(
            current.validator(CopyFile::Site).unwrap().etag.as_deref(),
            Some("\"1\"")
        );
        assert!(current.validator(CopyFile::Items).is_none());
        let second = cache
            .store("m", &[(CopyFile::Site, b"two")], &validators("\"2\""))
            .unwrap();
        assert_ne!(first.dir, second.dir);
        assert!(!first.dir.exists(), "the older copy is removed");
        let current = cache.current("m").unwrap();
        assert_eq!(std::fs::read(current.path(CopyFile::Site)).unwrap(), b"two");
        let entries: Vec<_> = std::fs::read_dir(cache.member_dir("m")).unwrap().collect();
        assert_eq!(entries.len(), 2, "one copy folder and `current`");
    }

    #[test]
    fn a_pointer_to_nothing_or_outside_is_no_copy() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::new(tmp.path());
        let member = cache.member_dir("m");
        std::fs::create_dir_all(&member).unwrap();
        std::fs::write(member.join(CURRENT), "copy-gone").unwrap();
        assert!(cache.current("m").is_none());
        std::fs::create_dir_all(tmp.path().join("elsewhere")).unwrap();
        std::fs::write(member.join(CURRENT), "../../elsewhere").unwrap();
        assert!(cache.current("m").is_none());
        // A half-written copy folder that `current` does not name is ignored
        // and removed by the next store.
        std::fs::create_dir_all(member.join("copy-1-1")).unwrap();
        cache
            .store("m", &[(CopyFile::Site, b"x")], &BTreeMap::new())
            .unwrap();
        assert!(!member.join("copy-1-1").exists());
    }
}
