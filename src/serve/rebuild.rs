//! Building the site into memory for the preview: the same stages as
//! `gongkai build` (configuration, content, theme, render), with a
//! [`MemorySink`] in place of the staging directory.

use super::classify::Change;
use super::memory::{MemorySink, SiteFiles};
use crate::diag::{Diagnostics, Error};
use crate::render::{self, Site};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How to build the preview.
#[derive(Debug, Clone)]
pub struct Builder {
    /// Site root.
    pub root: PathBuf,
    /// The preview's own address, so links, feeds and QR codes point at it.
    pub base_url: String,
    /// Publish drafts too.
    pub drafts: bool,
    /// QR codes drawn by the previous build, reused by the next.
    pub qr: std::sync::Arc<std::sync::Mutex<crate::qr::Cache>>,
}

/// A successful build.
pub struct Built {
    /// The rendered files.
    pub files: SiteFiles,
    /// Published items.
    pub items: usize,
    /// HTML pages.
    pub pages: usize,
    /// Time taken.
    pub elapsed: Duration,
}

impl Builder {
    /// Build the whole site after `change`. Every change leads to a full
    /// rebuild today; `change` says what an incremental one would redo.
    /// Errors come back as `path:line:col: …` lines, sorted.
    pub fn rebuild(&self, _change: &Change) -> Result<Built, Vec<String>> {
        self.build()
    }

    /// Build the whole site. A panic in a stage is caught and reported as
    /// an error, so one bad file cannot stop the preview.
    pub fn build(&self) -> Result<Built, Vec<String>> {
        let started = Instant::now();
        let attempt = std::panic::catch_unwind(|| self.build_unguarded());
        match attempt {
            Ok(Ok((files, items, pages))) => Ok(Built {
                files,
                items,
                pages,
                elapsed: started.elapsed(),
            }),
            Ok(Err(error)) => Err(error_lines(&error)),
            Err(_) => Err(vec![
                "错误：生成网站时程序内部出错（上面打印了详情），请把这条信息报告给开发者"
                    .to_string(),
            ]),
        }
    }

    fn build_unguarded(&self) -> Result<(SiteFiles, usize, usize), Error> {
        let (config, library, theme) =
            crate::cli::load_site(&self.root, Some(&self.base_url), self.drafts)?;
        let previous = self.qr.lock().map(|c| c.next()).unwrap_or_default();
        let site = Site {
            root: &self.root,
            config: &config,
            library: &library,
            theme: &theme,
            progress: None,
            qr: &previous,
        };
        let sink = MemorySink::default();
        let pages = render::render_all(&site, &sink)?;
        if let Ok(mut cache) = self.qr.lock() {
            *cache = previous;
        }
        let items = library.items.iter().filter(|i| i.published).count();
        Ok((sink.into_site(), items, pages))
    }
}

/// An error as the lines shown in the terminal and the overlay.
pub fn error_lines(error: &Error) -> Vec<String> {
    match error {
        Error::Content(diags) => {
            let mut sorted = Diagnostics::new();
            sorted.extend(diags.iter().cloned());
            sorted
                .into_sorted()
                .iter()
                .map(ToString::to_string)
                .collect()
        }
        other => vec![format!("错误：{other}")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;

    #[test]
    fn errors_become_sorted_lines_with_coordinates() {
        let error = Error::Content(vec![
            Diagnostic::error("content/b.md", 3, 1, "二"),
            Diagnostic::error("content/a.md", 7, 11, "一").with_field("title"),
        ]);
        assert_eq!(
            error_lines(&error),
            vec![
                "content/a.md:7:11: 错误: title: 一".to_string(),
                "content/b.md:3:1: 错误: 二".to_string(),
            ]
        );
        assert_eq!(
            error_lines(&Error::Other("坏".to_string())),
            vec!["错误：坏".to_string()]
        );
    }
}
