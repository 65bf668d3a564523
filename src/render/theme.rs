//! The theme: templates and static files embedded in the binary, each of
//! which a file of the same name under `themes/<name>/` overrides.

use crate::diag::{Diagnostic, display_path};
use std::path::Path;

macro_rules! embedded {
    ($dir:literal: $($name:literal),+ $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../themes/default/", $dir, "/", $name)))),+]
    };
}

/// Templates of the default theme.
pub const TEMPLATES: &[(&str, &[u8])] = embedded!("templates":
    "base.html", "index.html", "district.html", "column.html", "item.html", "redirect.html", "404.html", "_pager.html", "catalog.html", "services.html", "print.html",
    "qr_sheet.html", "questions.html", "stats.html", "search.html");

/// Static files of the default theme, copied to the output root (and to
/// the Traditional copy's). `favicon.ico` is made from `favicon.svg` by
/// `tests/browser/favicon.mjs`.
pub const STATIC: &[(&str, &[u8])] = embedded!("static":
    "style.css", "gongkai.js", "search.js", "favicon.svg", "favicon.ico");

/// Loaded templates and static files.
pub struct Theme {
    /// The template engine with every template registered.
    pub tera: tera::Tera,
    /// Where each template came from, for error messages.
    sources: Vec<(String, String)>,
    /// Static files: (output path, bytes).
    pub statics: Vec<(String, Vec<u8>)>,
    /// Hash of every template and static file (see [`Theme::fingerprint`]).
    fingerprint: u128,
}

impl Theme {
    /// Load the theme `name` for the site at `root`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let dir = root.join("themes").join(name);
        let mut diags = Vec::new();
        let mut sources = Vec::new();
        let mut templates = Vec::new();
        for (file, bytes) in TEMPLATES {
            let path = dir.join("templates").join(file);
            let (text, shown) = if path.is_file() {
                (
                    read_text(root, &path, &mut diags),
                    display_path(root, &path),
                )
            } else {
                (
                    String::from_utf8_lossy(bytes).into_owned(),
                    format!("themes/default/templates/{file}（内置主题）"),
                )
            };
            sources.push((file.to_string(), shown));
            templates.push((file.to_string(), text));
        }
        extra_templates(root, &dir, &mut templates, &mut sources, &mut diags);
        let mut parts: Vec<&[u8]> = Vec::new();
        for (name, text) in &templates {
            parts.extend([name.as_bytes(), text.as_bytes()]);
        }
        let statics = load_statics(root, &dir, &mut diags);
        for (name, bytes) in &statics {
            parts.extend([name.as_bytes(), bytes.as_slice()]);
        }
        let fingerprint = crate::incremental::hash_parts(parts);
        let mut tera = tera::Tera::new();
        tera.set_escape_fn(escape_html);
        if let Err(e) = tera.add_raw_templates(templates) {
            diags.push(template_error(&e, &sources));
        }
        if diags.is_empty() {
            Ok(Theme {
                tera,
                sources,
                statics,
                fingerprint,
            })
        } else {
            Err(diags)
        }
    }

    /// Render a template, turning errors into a diagnostic at the template's line.
    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        crate::timings::span(crate::timings::Span::Templates, || {
            self.tera
                .render(template, context)
                .map_err(|e| template_error(&e, &self.sources))
        })
    }
}

impl Theme {
    /// A hash of the theme's templates and static files: when it changes,
    /// every page may change.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    /// Render a template into bytes. Templates and their inputs are UTF-8,
    /// so the output is too; this skips [`Theme::render`]'s re-validation of
    /// every page.
    pub fn render_bytes(
        &self,
        template: &str,
        context: &tera::Context,
    ) -> Result<Vec<u8>, Diagnostic> {
        crate::timings::span(crate::timings::Span::Templates, || {
            let mut out = Vec::with_capacity(16 * 1024);
            self.tera
                .render_to(template, context, &mut out)
                .map_err(|e| template_error(&e, &self.sources))?;
            Ok(out)
        })
    }
}

/// Tera's HTML escaping (the same five characters: `& < > " '`), writing
/// the runs between them whole instead of byte by byte: escaping was about
/// a third of template time.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let entity = |byte| -> Option<&'static [u8]> {
        match byte {
            b'&' => Some(b"&amp;"),
            b'<' => Some(b"&lt;"),
            b'>' => Some(b"&gt;"),
            b'"' => Some(b"&quot;"),
            b'\'' => Some(b"&#39;"),
            _ => None,
        }
    };
    super::write_replacing(input.as_bytes(), entity, out)
}

fn read_text(root: &Path, path: &Path, diags: &mut Vec<Diagnostic>) -> String {
    let shown = display_path(root, path);
    match std::fs::read(path) {
        Ok(bytes) => match crate::content::source::decode(&shown, &bytes) {
            Ok(text) => text,
            Err(d) => {
                diags.push(d);
                String::new()
            }
        },
        Err(e) => {
            diags.push(Diagnostic::error(shown, 1, 1, format!("无法读取：{e}")));
            String::new()
        }
    }
}

fn extra_templates(
    root: &Path,
    dir: &Path,
    templates: &mut Vec<(String, String)>,
    sources: &mut Vec<(String, String)>,
    diags: &mut Vec<Diagnostic>,
) {
    let Ok(entries) = std::fs::read_dir(dir.join("templates")) else {
        return;
    };
    let mut names: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    names.sort();
    for path in names {
        let Some(file) = path.file_name().map(|f| f.to_string_lossy().into_owned()) else {
            continue;
        };
        if !path.is_file() || !file.ends_with(".html") || TEMPLATES.iter().any(|(n, _)| *n == file)
        {
            continue;
        }
        templates.push((file.clone(), read_text(root, &path, diags)));
        sources.push((file, display_path(root, &path)));
    }
}

fn load_statics(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    let static_dir = dir.join("static");
    for (rel, bytes) in crate::output::read_tree(root, &static_dir, diags) {
        match out.iter_mut().find(|(n, _)| *n == rel) {
            Some(slot) => slot.1 = bytes,
            None => out.push((rel, bytes)),
        }
    }
    out
}

/// A Tera error as a diagnostic naming the template file and line.
fn template_error(error: &tera::Error, sources: &[(String, String)]) -> Diagnostic {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    let mut messages = Vec::new();
    let mut located: Option<(String, usize, usize)> = None;
    while let Some(e) = current {
        if let Some(te) = e.downcast_ref::<tera::Error>() {
            if let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = te.kind()
            {
                located.get_or_insert((
                    r.filename().to_string(),
                    r.span().start_line,
                    r.span().start_col + 1,
                ));
                messages.push(r.message().to_string());
            } else {
                messages.push(te.to_string());
            }
        } else {
            messages.push(e.to_string());
        }
        current = e.source();
    }
    let (file, line, column) = located.unwrap_or_default();
    let shown = sources.iter().find(|(name, _)| *name == file).map_or_else(
        || {
            if file.is_empty() {
                "模板".to_string()
            } else {
                file.clone()
            }
        },
        |(_, s)| s.clone(),
    );
    messages.dedup();
    Diagnostic::error(
        shown,
        line,
        column,
        format!("模板错误：{}", messages.join("：")),
    )
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escaping_is_teras() {
        for text in [
            "",
            "纯文本",
            "a&b<c>d\"e'f",
            "&&",
            "<script>alert('x')</script>",
            "末尾<",
        ] {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            escape_html(text, &mut ours).unwrap();
            tera::escape_html(text, &mut theirs).unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
    }
}
