//! Printing diagnostics for people and for CI: plain text with the offending
//! source line and a caret, one JSON object per line, or GitHub Actions
//! workflow commands that annotate the changed lines of a pull request.

use crate::diag::{Diagnostic, Diagnostics, Severity};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthStr;

/// Output formats of diagnostics.
#[derive(Debug, Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// `path:line:col: 错误: …` with the source line and a caret.
    Text,
    /// One JSON object per line on standard output.
    Json,
    /// GitHub Actions annotations on standard output.
    Github,
}

/// Prints diagnostics, reading source lines from the site root for text.
pub struct Reporter {
    format: Format,
    root: PathBuf,
    sources: HashMap<String, Option<Vec<String>>>,
}

impl Reporter {
    /// A reporter for the site at `root`.
    pub fn new(format: Format, root: &Path) -> Self {
        Reporter {
            format,
            root: root.to_path_buf(),
            sources: HashMap::new(),
        }
    }

    /// Print all diagnostics sorted by file and line; returns (errors, warnings).
    pub fn print_all(&mut self, diags: Vec<Diagnostic>) -> (usize, usize) {
        let mut all = Diagnostics::new();
        all.extend(diags);
        let sorted = all.into_sorted();
        let errors = sorted
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        for d in &sorted {
            self.print(d);
        }
        (errors, sorted.len() - errors)
    }

    fn print(&mut self, d: &Diagnostic) {
        match self.format {
            Format::Text => crate::say!("{}", self.text(d)),
            Format::Json => crate::out!("{}", json(d)),
            Format::Github => crate::out!("{}", github(d)),
        }
    }

    /// A diagnostic as text: `path:line:col: 错误: …`, then the source line
    /// with a caret under the column when the file can be read.
    fn text(&mut self, d: &Diagnostic) -> String {
        match self.snippet(d) {
            Some(snippet) => format!("{d}\n{snippet}"),
            None => d.to_string(),
        }
    }

    /// The source line of a diagnostic with a caret under its column.
    fn snippet(&mut self, d: &Diagnostic) -> Option<String> {
        let root = self.root.clone();
        let lines = self
            .sources
            .entry(d.path.clone())
            .or_insert_with(|| {
                let bytes = std::fs::read(root.join(&d.path)).ok()?;
                let text = String::from_utf8(bytes).ok()?;
                Some(
                    text.trim_start_matches('\u{feff}')
                        .lines()
                        .map(|l| l.trim_end_matches('\r').to_string())
                        .collect(),
                )
            })
            .as_ref()?;
        let line = lines.get(d.line.checked_sub(1)?)?;
        if line.trim().is_empty() {
            return None;
        }
        let shown: String = line
            .chars()
            .take(120)
            .collect::<String>()
            .replace('\t', " ");
        let before: String = shown.chars().take(d.column.saturating_sub(1)).collect();
        let number = d.line.to_string();
        let pad = " ".repeat(number.len());
        Some(format!(
            " {number} | {shown}\n {pad} | {}^",
            " ".repeat(before.width())
        ))
    }
}

/// Diagnostics of the site at `root` sorted as `check` prints them, each
/// as its text block (message, source line, caret): for the preview's
/// terminal and error overlay.
pub fn text_blocks(root: &Path, diags: &[Diagnostic]) -> Vec<String> {
    let mut all = Diagnostics::new();
    all.extend(diags.iter().cloned());
    let mut reporter = Reporter::new(Format::Text, root);
    all.into_sorted().iter().map(|d| reporter.text(d)).collect()
}

fn json(d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    serde_json::json!({
        "severity": severity, "path": d.path, "line": d.line, "column": d.column,
        "field": d.field, "message": d.message, "code": d.code,
    })
    .to_string()
}

fn github(d: &Diagnostic) -> String {
    let message = match &d.field {
        Some(f) => format!("{f}: {}", d.message),
        None => d.message.clone(),
    };
    let title = d.code.map(|c| format!(",title={c}")).unwrap_or_default();
    let level = if d.severity == Severity::Error {
        "error"
    } else {
        "warning"
    };
    let escape = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let path = escape(&d.path).replace(':', "%3A").replace(',', "%2C");
    format!(
        "::{level} file={path},line={},col={}{title}::{}",
        d.line,
        d.column,
        escape(&message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_lines_up_under_chinese_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\n事项类型: 许可\n").unwrap();
        let mut reporter = Reporter::new(Format::Text, dir.path());
        let d = Diagnostic::error("a.md", 2, 7, "x");
        let snippet = reporter.snippet(&d).unwrap();
        assert_eq!(snippet, " 2 | 事项类型: 许可\n   |           ^");
    }

    #[test]
    fn text_blocks_carry_the_source_line_after_a_bom_and_crlf() {
        let dir = tempfile::tempdir().unwrap();
        let text = "\u{feff}---\r\n标题：测试\r\n---\r\n";
        std::fs::write(dir.path().join("a.md"), text).unwrap();
        let blocks = text_blocks(
            dir.path(),
            &[
                Diagnostic::error("b.md", 1, 1, "没有这个文件"),
                Diagnostic::error("a.md", 2, 3, "全角冒号"),
            ],
        );
        assert_eq!(
            blocks,
            [
                "a.md:2:3: 错误: 全角冒号\n 2 | 标题：测试\n   |     ^",
                "b.md:1:1: 错误: 没有这个文件",
            ]
        );
    }

    #[test]
    fn github_annotations_escape_their_parts() {
        let d =
            Diagnostic::error("content/a,b.md", 3, 4, "第一行\n第二行 100%").with_field("title");
        assert_eq!(
            github(&d),
            "::error file=content/a%2Cb.md,line=3,col=4::title: 第一行%0A第二行 100%25"
        );
    }

    #[test]
    fn codes_go_into_json_and_annotation_titles() {
        let d = Diagnostic::error("site.toml", 1, 1, "x").with_code("blank-column");
        let value: serde_json::Value = serde_json::from_str(&json(&d)).unwrap();
        assert_eq!(value["code"], "blank-column");
        let plain: serde_json::Value =
            serde_json::from_str(&json(&Diagnostic::error("a", 1, 1, "x"))).unwrap();
        assert!(plain["code"].is_null());
        assert_eq!(
            github(&d),
            "::error file=site.toml,line=1,col=1,title=blank-column::x"
        );
    }
}
