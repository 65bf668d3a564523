//! Diagnostics: problems found in a site, each pinned to a file, line and
//! column, collected across the whole run and reported together.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build must fail.
    Error,
    /// Worth fixing, the build still succeeds.
    Warning,
}

/// One problem, in the words an editor understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Severity of the problem.
    pub severity: Severity,
    /// File relative to the site root (forward slashes).
    pub path: String,
    /// 1-based line; 1 when the problem has no line of its own.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// The front-matter field concerned, if any (as the editor wrote it).
    pub field: Option<String>,
    /// What is wrong and what is allowed, in Simplified Chinese.
    pub message: String,
    /// A stable name of the kind of problem (`blank-column`), for tools and
    /// for settings that allow one; `None` for most diagnostics.
    pub code: Option<&'static str>,
}

impl Diagnostic {
    /// An error at a position.
    pub fn error(
        path: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: line.max(1),
            column: column.max(1),
            field: None,
            message: message.into(),
            code: None,
        }
    }

    /// The same diagnostic naming a field.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The same diagnostic with a stable code.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    fn sort_key(&self) -> (&str, usize, usize, Severity, &str) {
        (
            &self.path,
            self.line,
            self.column,
            self.severity,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(f, "{}:{}:{}: {level}", self.path, self.line, self.column)?;
        if let Some(code) = self.code {
            write!(f, "[{code}]")?;
        }
        f.write_str(": ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Record one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Record many problems.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// True when at least one error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// All problems sorted by file, line and column, duplicates removed.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// A path relative to `root`, with forward slashes, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let text = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Errors that stop a command before or after the content stages.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The content has problems; all of them are listed.
    #[error("发现 {count} 个错误，未生成网站", count = .0.iter().filter(|d| d.severity == Severity::Error).count())]
    Content(Vec<Diagnostic>),
    /// A file-system operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What we were doing, in Chinese ("无法读取").
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Anything else that stops the command, already phrased for the user.
    #[error("{0}")]
    Other(String),
}

/// Result type of gongkai's stages.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_sort_by_file_then_line() {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error("b.md", 1, 1, "x"));
        d.push(Diagnostic::error("a.md", 9, 1, "y"));
        d.push(Diagnostic::error("a.md", 2, 5, "z"));
        let sorted = d.into_sorted();
        let order: Vec<_> = sorted.iter().map(|d| (d.path.as_str(), d.line)).collect();
        assert_eq!(order, vec![("a.md", 2), ("a.md", 9), ("b.md", 1)]);
    }

    #[test]
    fn display_names_file_line_column_and_field() {
        let d = Diagnostic::error("content/x.md", 7, 11, "不对").with_field("item_type");
        assert_eq!(d.to_string(), "content/x.md:7:11: 错误: item_type: 不对");
        let coded = Diagnostic::error("site.toml", 1, 1, "没有").with_code("blank-column");
        assert_eq!(coded.to_string(), "site.toml:1:1: 错误[blank-column]: 没有");
    }
}
