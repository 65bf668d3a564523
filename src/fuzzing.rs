//! Entry points for fuzzing and property tests: each takes arbitrary bytes
//! and runs one stage the way a build would, asserting what must hold for
//! any input. The cargo-fuzz targets in `fuzz/` and the property tests in
//! `tests/properties.rs` both call these.

use crate::content::words::Kind;
use crate::content::{front, source, yaml};

/// Decode, split and read front matter as every kind.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = source::decode("a.md", data) else {
        return;
    };
    let Ok(src) = source::split("a.md", &text, true) else {
        return;
    };
    let Ok(root) = yaml::parse(&src.yaml) else {
        return;
    };
    for kind in Kind::ALL {
        let (_, diags) = front::read("a.md", src.yaml_line - 1, &root, *kind);
        for d in diags {
            assert!(
                d.line >= 1 && d.column >= 1,
                "diagnostic without a position: {d:?}"
            );
        }
    }
}

/// Render Markdown; safe mode must never emit a script tag or script URL.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let safe = crate::markdown::render(&text, false).html;
    let lower = safe.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script tag in safe output");
    assert!(
        !lower.contains("href=\"javascript:"),
        "script URL in safe output"
    );
    assert!(
        !lower.contains("src=\"javascript:"),
        "script URL in safe output"
    );
    let _ = crate::markdown::render(&text, true);
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
