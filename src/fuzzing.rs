//! Entry points for fuzzing and property tests: each takes arbitrary bytes
//! and runs one stage the way a build would, asserting what must hold for
//! any input. The cargo-fuzz targets in `fuzz/` and the property tests in
//! `tests/properties.rs` both call these.

use crate::content::words::Kind;
use crate::content::{front, source, syntax};

/// Decode, split and read front matter as every kind.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = source::decode("a.md", data) else {
        return;
    };
    let Ok(src) = source::split("a.md", &text, true) else {
        return;
    };
    let (root, problems) = syntax::parse_front("a.md", &src.yaml, src.yaml_line);
    for d in &problems {
        assert!(
            d.line >= 1 && d.column >= 1,
            "diagnostic without a position: {d:?}"
        );
    }
    let Some(root) = root else {
        return;
    };
    for kind in Kind::ALL {
        let (_, problems) = front::read("a.md", src.yaml_line - 1, &root, *kind);
        for d in problems.into_diagnostics(true) {
            assert!(
                d.line >= 1 && d.column >= 1,
                "diagnostic without a position: {d:?}"
            );
        }
    }
}

/// Render Markdown; in safe mode no tag may be a script, iframe or style,
/// carry an event handler, or link to a script URL.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let safe = crate::markdown::render(&text, false).html;
    for (name, attributes) in html_tags(&safe) {
        assert!(
            !matches!(
                name.as_str(),
                "script" | "iframe" | "style" | "object" | "embed"
            ),
            "<{name}> in safe output"
        );
        for (attribute, value) in attributes {
            assert!(
                !attribute.starts_with("on"),
                "event handler {attribute} in safe output"
            );
            let value = value.trim().to_ascii_lowercase();
            assert!(
                !value.starts_with("javascript:") && !value.starts_with("data:"),
                "script URL in safe output: {value}"
            );
        }
    }
    let _ = crate::markdown::render(&text, true);
}

/// Tags of HTML as (lower-case name, attributes as (name, value)); text and
/// escaped `&lt;` are skipped. A small scanner for test oracles (fuzzing and
/// the security tests), not a full HTML parser.
pub fn html_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let inside = &rest[..end];
        rest = &rest[end..];
        if inside.starts_with(['/', '!', '?']) {
            continue;
        }
        let name: String = inside
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        out.push((name.to_ascii_lowercase(), attributes(&inside[name.len()..])));
    }
    out
}

fn attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == '/').is_some() {}
        let name: String =
            std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != '=' && *c != '/'))
                .collect();
        if name.is_empty() {
            return out;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            match chars.next_if(|c| *c == '"' || *c == '\'') {
                Some(quote) => value.extend(std::iter::from_fn(|| chars.next_if(|c| *c != quote))),
                None => value.extend(std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace()))),
            }
            chars.next();
        }
        out.push((name.to_ascii_lowercase(), value));
    }
}

/// Build a one-file site whose item is `data`, in memory, with the embedded
/// theme: loading, validating and rendering must not panic.
pub fn pipeline(data: &[u8]) {
    use std::sync::OnceLock;
    static ROOT: OnceLock<tempfile_dir::Dir> = OnceLock::new();
    let dir = ROOT.get_or_init(tempfile_dir::Dir::new);
    let root = dir.path();
    let _ = std::fs::write(root.join("content/qu/services/a.md"), data);
    let Ok(config) = crate::config::Config::load(root) else {
        return;
    };
    let options = crate::content::library::LoadOptions {
        drafts: true,
        today: crate::date::Date::from_days(20_000),
    };
    let Ok(library) = crate::content::library::load(root, &config, options) else {
        return;
    };
    let Ok(theme) = crate::render::theme::Theme::load(root, &config.theme) else {
        return;
    };
    let site = crate::render::Site {
        root,
        config: &config,
        library: &library,
        theme: &theme,
        progress: None,
        qr: &crate::qr::Cache::default(),
    };
    let _ = crate::render::render_all(&site, &crate::output::Discard::default());
}

/// A private scratch site directory for [`pipeline`].
mod tempfile_dir {
    use std::path::{Path, PathBuf};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new() -> Dir {
            let path = std::env::temp_dir().join(format!("gongkai-fuzz-{}", std::process::id()));
            let _ = std::fs::create_dir_all(path.join("content/qu/services"));
            Dir(path)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }
}
