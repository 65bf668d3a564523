//! The rendered site held in memory: a [`Sink`] that keeps every file
//! instead of writing it, and the finished map that `serve` answers from.

use crate::diag::Result;
use crate::output::{Sink, Tally};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A sink that keeps the rendered files in memory. It refuses what the
/// staging directory refuses (paths outside the site, a file written
/// twice), so `serve` reports the same errors as `build`.
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<HashMap<Arc<str>, Arc<[u8]>>>,
    /// What was stored.
    pub tally: Tally,
}

impl Sink for MemorySink {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.tally.add(rel, bytes.len())?;
        // A poisoned lock means another rendering thread panicked; the
        // files it holds are still whole, so keep going with them.
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.insert(Arc::from(rel), Arc::from(bytes));
        Ok(())
    }
}

impl MemorySink {
    /// The finished site.
    pub fn into_site(self) -> SiteFiles {
        SiteFiles {
            files: self.files.into_inner().unwrap_or_else(|p| p.into_inner()),
        }
    }
}

/// A complete rendered site: site-relative path (forward slashes) → bytes.
/// Cloning shares the files, so a rebuild that redoes a few pages copies
/// only the map.
#[derive(Debug, Default, Clone)]
pub struct SiteFiles {
    files: HashMap<Arc<str>, Arc<[u8]>>,
}

impl SiteFiles {
    /// The file at `rel`, if the site has one.
    pub fn get(&self, rel: &str) -> Option<&[u8]> {
        self.files.get(rel).map(|b| &b[..])
    }

    /// Drop the file at `rel`.
    pub fn remove(&mut self, rel: &str) {
        self.files.remove(rel);
    }

    /// Add every file of `other`, replacing files at the same paths.
    pub fn absorb(&mut self, other: SiteFiles) {
        self.files.extend(other.files);
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when the site has no file at all.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_files_and_refuses_what_build_refuses() {
        let sink = MemorySink::default();
        sink.put("index.html", b"<p>home</p>").unwrap();
        sink.put("a/b/index.html", b"x").unwrap();
        assert!(sink.put("index.html", b"again").is_err());
        assert!(sink.put("../escape.html", b"x").is_err());
        assert_eq!(sink.tally.files(), 2);
        let site = sink.into_site();
        assert_eq!(site.get("index.html"), Some(&b"<p>home</p>"[..]));
        assert_eq!(site.get("a/b/index.html"), Some(&b"x"[..]));
        assert_eq!(site.get("../escape.html"), None);
        assert_eq!(site.len(), 2);
    }
}
