//! Classifying a burst of file events: which part of the site it touched.
//!
//! Pure: the watcher collects the paths named by a debounced burst of
//! events, looks once at what each path is when the burst is over (file,
//! directory or gone) and hands that over with the item files it knew
//! before; [`classify`] decides. Looking at the end state instead of the
//! event kinds is what makes editors' saves simple: an atomic save (write a
//! temporary file, rename it over the original) and a plain write both end
//! with the original path present, so both are an edit.
//!
//! A burst that only edited item files is rebuilt incrementally (see
//! `rebuild`); anything else (items added or removed, templates, static
//! files, sections, attachments, the configuration) leads to a full
//! rebuild in memory.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// What a touched path is once the burst of events is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A regular file (or a link to one).
    File,
    /// A directory.
    Dir,
    /// Nothing: removed or renamed away.
    Missing,
}

/// One path named by the events of a burst, with what it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touched {
    /// The path as the watcher reported it (absolute or under `root`).
    pub path: PathBuf,
    /// What it is now.
    pub now: Entry,
}

/// What happened to one item's Markdown file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemChange {
    /// It existed before and still does: edited in place or saved atomically.
    Edited,
    /// It is new.
    Added,
    /// It is gone (deleted, renamed away, or its folder was).
    Removed,
}

/// Everything a burst of events changed, by part of the site.
/// Paths are relative to the site root with forward slashes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Change {
    /// `site.toml` (or `qr.lock`) changed: every page may differ.
    pub config: bool,
    /// Theme files other than static ones: templates, or a theme folder.
    pub templates: BTreeSet<String>,
    /// Files copied as they are: `static/…` and `themes/<name>/static/…`.
    pub statics: BTreeSet<String>,
    /// Item Markdown files (`x.md`, `x/index.md`) and what happened to them.
    pub items: BTreeMap<String, ItemChange>,
    /// Intro texts of districts and columns (`_index.md`).
    pub sections: BTreeSet<String>,
    /// Other files under `content/`: attachments beside an item.
    pub attachments: BTreeSet<String>,
    /// Folders under `content/` that appeared whole (moved in or created):
    /// their files were not reported one by one and must be walked.
    pub rescan: BTreeSet<String>,
    /// Paths that cannot change the site: editor swap and backup files,
    /// `public/`, anything outside the watched folders.
    pub ignored: usize,
}

impl Change {
    /// True when the site may look different: something must be rebuilt.
    pub fn is_relevant(&self) -> bool {
        self.config
            || !self.templates.is_empty()
            || !self.statics.is_empty()
            || !self.items.is_empty()
            || !self.sections.is_empty()
            || !self.attachments.is_empty()
            || !self.rescan.is_empty()
    }

    /// Bring the set of known item files up to date with this change.
    /// (Folders in `rescan` are walked by the caller.)
    pub fn update_known(&self, known: &mut BTreeSet<String>) {
        for (path, change) in &self.items {
            if *change == ItemChange::Removed {
                known.remove(path);
            } else {
                known.insert(path.clone());
            }
        }
    }

    /// A short description in Chinese for the terminal.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.config {
            parts.push("网站配置".to_string());
        }
        let count = |n: usize, what: &str| (n > 0).then(|| format!("{n} 个{what}"));
        let by_kind = |kind: ItemChange| self.items.values().filter(|c| **c == kind).count();
        parts.extend(count(by_kind(ItemChange::Edited), "条目修改"));
        parts.extend(count(by_kind(ItemChange::Added), "条目新增"));
        parts.extend(count(by_kind(ItemChange::Removed), "条目删除"));
        parts.extend(count(self.sections.len(), "简介"));
        parts.extend(count(self.attachments.len(), "附件"));
        parts.extend(count(self.rescan.len(), "新目录"));
        parts.extend(count(self.templates.len(), "模板"));
        parts.extend(count(self.statics.len(), "静态文件"));
        if let [(path, _)] = self.items.iter().collect::<Vec<_>>()[..] {
            parts.push(path.clone());
        }
        parts.join("，")
    }
}

/// Classify the paths of one burst of events for the site at `root`.
/// `known` holds the item Markdown files (root-relative) that existed
/// before the burst, so an edit can be told from an addition and a removed
/// folder from a removed attachment.
pub fn classify(touched: &[Touched], root: &Path, known: &BTreeSet<String>) -> Change {
    let mut change = Change::default();
    for t in touched {
        let parts = match relative_parts(&t.path, root) {
            Some(parts) if !parts.is_empty() => parts,
            _ => {
                change.ignored += 1;
                continue;
            }
        };
        if parts.iter().any(|p| is_editor_litter(p)) {
            change.ignored += 1;
            continue;
        }
        let rel = parts.join("/");
        match parts[0].as_str() {
            "site.toml" | "qr.lock" if parts.len() == 1 => change.config = true,
            "content" => content(&parts, rel, t.now, known, &mut change),
            "static" => {
                change.statics.insert(rel);
            }
            "themes" => {
                let is_static = parts.len() > 3 && parts[2] == "static";
                let set = if is_static {
                    &mut change.statics
                } else {
                    &mut change.templates
                };
                set.insert(rel);
            }
            _ => change.ignored += 1,
        }
    }
    change
}

/// A path under `content/`.
fn content(
    parts: &[String],
    rel: String,
    now: Entry,
    known: &BTreeSet<String>,
    change: &mut Change,
) {
    // The library skips hidden files and folders: so do we.
    if parts.iter().any(|p| p.starts_with('.')) {
        change.ignored += 1;
        return;
    }
    let name = parts.last().map_or("", String::as_str);
    match now {
        Entry::Dir => {
            change.rescan.insert(rel);
        }
        Entry::File if name == "_index.md" => {
            change.sections.insert(rel);
        }
        Entry::File if is_item_file(parts) => {
            let kind = if known.contains(&rel) {
                ItemChange::Edited
            } else {
                ItemChange::Added
            };
            change.items.insert(rel, kind);
        }
        Entry::File => {
            change.attachments.insert(rel);
        }
        Entry::Missing => removed(parts, rel, known, change),
    }
}

/// A path under `content/` that is gone: an item, a folder of items, an
/// intro text, an attachment, or a file that never mattered.
fn removed(parts: &[String], rel: String, known: &BTreeSet<String>, change: &mut Change) {
    let name = parts.last().map_or("", String::as_str);
    if known.contains(&rel) {
        change.items.insert(rel, ItemChange::Removed);
        return;
    }
    let prefix = format!("{rel}/");
    let mut was_folder = false;
    for item in known
        .range(prefix.clone()..)
        .take_while(|k| k.starts_with(&prefix))
    {
        change.items.insert(item.clone(), ItemChange::Removed);
        was_folder = true;
    }
    if was_folder {
        return;
    }
    if name == "_index.md" {
        change.sections.insert(rel);
    } else if is_item_file(parts) {
        // An item file nobody knew, created and removed within the burst
        // (a temporary file of an atomic save): it never was on the site.
        change.ignored += 1;
    } else {
        // An attachment, or an empty folder: harmless to rebuild for.
        change.attachments.insert(rel);
    }
}

/// `content/<district>/<column>/<x>.md` or `…/<column>/<x>/index.md`, as
/// root-relative components.
pub fn is_item_file(parts: &[String]) -> bool {
    let name = parts.last().map_or("", String::as_str);
    match parts.len() {
        4 => name.ends_with(".md") && name != "_index.md",
        5 => name == "index.md",
        _ => false,
    }
}

/// The path's components below `root`, or `None` when it is elsewhere.
fn relative_parts(path: &Path, root: &Path) -> Option<Vec<String>> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(parts)
}

/// Files editors and systems leave beside the ones being edited: swap
/// files, backups, lock files, probes. Never part of the site.
pub fn is_editor_litter(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        ".swp",
        ".swo",
        ".swx",
        ".swpx",
        ".kate-swp",
        ".tmp",
        ".part",
        "~",
        "___jb_tmp___",
        "___jb_old___",
    ];
    const NAMES: &[&str] = &[".DS_Store", "Thumbs.db", "desktop.ini"];
    SUFFIXES.iter().any(|s| name.ends_with(s))
        || NAMES.contains(&name)
        || name.starts_with(".#")
        || name.starts_with("~$")
        || name.starts_with(".goutputstream-")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
        || is_vim_probe(name)
}

/// Vim checks that it may write a directory by creating the file `4913`
/// (then 5036, 5159 … while that name is taken).
fn is_vim_probe(name: &str) -> bool {
    name.parse::<u32>()
        .is_ok_and(|n| (4913..100_000).contains(&n) && (n - 4913) % 123 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "/site";

    fn touched(rel: &str, now: Entry) -> Touched {
        Touched {
            path: Path::new(ROOT).join(rel),
            now,
        }
    }

    fn known() -> BTreeSet<String> {
        [
            "content/yueyang/news/a.md",
            "content/yueyang/news/b.md",
            "content/yueyang/services/bundle/index.md",
            "content/yueyang/policies/p.md",
        ]
        .into_iter()
        .map(String::from)
        .collect()
    }

    fn run(events: &[(&str, Entry)]) -> Change {
        let touched: Vec<Touched> = events.iter().map(|(p, e)| touched(p, *e)).collect();
        classify(&touched, Path::new(ROOT), &known())
    }

    fn items(pairs: &[(&str, ItemChange)]) -> BTreeMap<String, ItemChange> {
        pairs.iter().map(|(p, c)| (p.to_string(), *c)).collect()
    }

    #[test]
    fn an_edited_item_is_an_edit() {
        let change = run(&[("content/yueyang/news/a.md", Entry::File)]);
        assert_eq!(
            change.items,
            items(&[("content/yueyang/news/a.md", ItemChange::Edited)])
        );
        assert!(change.is_relevant());
        assert!(!change.config);
    }

    #[test]
    fn an_atomic_save_is_an_edit_and_its_litter_is_ignored() {
        // Vim: probe 4913, backup a.md~, write a.md, remove the backup.
        let change = run(&[
            ("content/yueyang/news/4913", Entry::Missing),
            ("content/yueyang/news/a.md~", Entry::Missing),
            ("content/yueyang/news/a.md", Entry::File),
            ("content/yueyang/news/.a.md.swp", Entry::File),
            ("content/yueyang/news/.a.md.swx", Entry::Missing),
        ]);
        assert_eq!(
            change.items,
            items(&[("content/yueyang/news/a.md", ItemChange::Edited)])
        );
        assert_eq!(change.ignored, 4);
        assert!(change.attachments.is_empty());
        // An editor writing a temporary .md and renaming it over the original.
        let change = run(&[
            ("content/yueyang/news/a.md.tmp", Entry::Missing),
            ("content/yueyang/news/.#a.md", Entry::Missing),
            ("content/yueyang/news/a.md", Entry::File),
        ]);
        assert_eq!(
            change.items,
            items(&[("content/yueyang/news/a.md", ItemChange::Edited)])
        );
    }

    #[test]
    fn new_and_removed_items_are_told_apart() {
        let change = run(&[
            ("content/yueyang/news/c.md", Entry::File),
            ("content/yueyang/news/b.md", Entry::Missing),
            ("content/yueyang/services/new/index.md", Entry::File),
            ("content/yueyang/services/bundle/index.md", Entry::Missing),
        ]);
        assert_eq!(
            change.items,
            items(&[
                ("content/yueyang/news/b.md", ItemChange::Removed),
                ("content/yueyang/news/c.md", ItemChange::Added),
                (
                    "content/yueyang/services/bundle/index.md",
                    ItemChange::Removed
                ),
                ("content/yueyang/services/new/index.md", ItemChange::Added),
            ])
        );
        let mut now = known();
        change.update_known(&mut now);
        assert!(now.contains("content/yueyang/news/c.md"));
        assert!(!now.contains("content/yueyang/news/b.md"));
    }

    #[test]
    fn a_removed_column_folder_removes_its_items() {
        let change = run(&[("content/yueyang/news", Entry::Missing)]);
        assert_eq!(
            change.items,
            items(&[
                ("content/yueyang/news/a.md", ItemChange::Removed),
                ("content/yueyang/news/b.md", ItemChange::Removed),
            ])
        );
        // The whole content folder.
        let change = run(&[("content", Entry::Missing)]);
        assert_eq!(change.items.len(), 4);
        // A folder whose name is a prefix of another's is not that folder.
        let change = run(&[("content/yueyang/new", Entry::Missing)]);
        assert!(change.items.is_empty());
    }

    #[test]
    fn a_folder_moved_in_is_walked() {
        let change = run(&[("content/yueyang/gazette", Entry::Dir)]);
        assert_eq!(
            change.rescan,
            BTreeSet::from(["content/yueyang/gazette".to_string()])
        );
        assert!(change.is_relevant());
    }

    #[test]
    fn intros_attachments_and_unknown_temporaries() {
        let change = run(&[
            ("content/yueyang/_index.md", Entry::File),
            ("content/yueyang/news/_index.md", Entry::Missing),
            ("content/yueyang/services/bundle/form.pdf", Entry::File),
            ("content/yueyang/news/gone.md", Entry::Missing),
        ]);
        assert_eq!(change.sections.len(), 2);
        assert_eq!(
            change.attachments,
            BTreeSet::from(["content/yueyang/services/bundle/form.pdf".to_string()])
        );
        assert!(change.items.is_empty());
        assert_eq!(change.ignored, 1);
    }

    #[test]
    fn templates_statics_and_config() {
        let change = run(&[
            ("site.toml", Entry::File),
            ("themes/default/templates/item.html", Entry::File),
            ("themes/default/static/style.css", Entry::File),
            ("static/logo.png", Entry::File),
        ]);
        assert!(change.config);
        assert_eq!(
            change.templates,
            BTreeSet::from(["themes/default/templates/item.html".to_string()])
        );
        assert_eq!(
            change.statics,
            BTreeSet::from([
                "static/logo.png".to_string(),
                "themes/default/static/style.css".to_string()
            ])
        );
        assert!(run(&[("qr.lock", Entry::File)]).config);
    }

    #[test]
    fn irrelevant_paths_change_nothing() {
        let change = run(&[
            ("public/index.html", Entry::File),
            ("public", Entry::Missing),
            (".git/index", Entry::File),
            ("README.md", Entry::File),
            ("content/yueyang/news/.hidden.md", Entry::File),
            ("content/.git/x", Entry::File),
            ("static/.#logo.png", Entry::File),
            ("static/#notes.txt#", Entry::File),
            ("themes/default/templates/item.html~", Entry::File),
            ("themes/default/templates/5036", Entry::File),
            ("site.toml.swp", Entry::File),
            ("content/yueyang/news/~$report.docx", Entry::File),
        ]);
        assert!(!change.is_relevant(), "{change:?}");
        assert_eq!(change.ignored, 12);
        let elsewhere = classify(
            &[Touched {
                path: PathBuf::from("/other/content/x/y/z.md"),
                now: Entry::File,
            }],
            Path::new(ROOT),
            &known(),
        );
        assert!(!elsewhere.is_relevant());
        let root_itself = run(&[("", Entry::Dir)]);
        assert!(!root_itself.is_relevant());
    }

    #[test]
    fn litter_names() {
        for name in ["4913", "5036", "x.swp", "x~", ".#x", "#x#", "a.md.tmp"] {
            assert!(is_editor_litter(name), "{name}");
        }
        for name in ["4914", "2023", "a.md", "#", "index.md", "政策.pdf"] {
            assert!(!is_editor_litter(name), "{name}");
        }
    }

    #[test]
    fn describe_names_a_single_item() {
        let change = run(&[("content/yueyang/news/a.md", Entry::File)]);
        assert_eq!(change.describe(), "1 个条目修改，content/yueyang/news/a.md");
    }
}
