//! The link check over a built site: every `href` and `src` of every page
//! (both copies, redirect pages included) must lead to a file of the site,
//! a `#fragment` to an `id` on its page, and an `https:` site must not link
//! with `http:`.
//!
//! Pages are fed one at a time to a [`LinkScanner`] (from the renderer as
//! pages are made, or from a directory walk; `scan_page` may be called from
//! many threads), which keeps only what the final step needs: each
//! internal link as the id of its decoded target, and the `id`s of each
//! page. [`LinkScanner::finish`] then takes the list of every file of the
//! site and returns the findings, sorted by page and position.

mod page;
mod resolve;
mod scan;

pub use resolve::{Link, SiteAddress};
pub use scan::Attr;

use rayon::prelude::*;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Hash tables keyed by paths: the fast hasher, seeded the same every run.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
type HashSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

/// What is wrong with a link.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum LinkProblem {
    /// No page, attachment or other file of the site is there.
    Missing,
    /// The page is there but has no element with this `id`.
    MissingAnchor {
        /// The fragment, decoded.
        anchor: String,
    },
    /// A root-relative link outside the site's base path.
    OutsideBase,
    /// An `http:` link from an `https:` site.
    Insecure,
    /// A `javascript:` link.
    Script,
}

/// One bad link, where it is in the built output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LinkFinding {
    /// The built file, relative to the output root (`a/b/index.html`).
    pub page: String,
    /// 1-based line of the link in the built file.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// The attribute the link is in.
    pub attr: Attr,
    /// What is wrong.
    pub problem: LinkProblem,
    /// The link: as written for external and script links, otherwise the
    /// site path looked for, decoded (`/gk/政策/x/`).
    pub target: String,
}

/// An internal link of a page waiting for the list of files.
#[derive(Debug, Clone, Copy)]
struct Pending {
    target: u32,
    line: u32,
    column: u32,
    attr: Attr,
    /// Byte range of the decoded fragment in the page's `fragments`.
    fragment: Option<(u32, u32)>,
}

/// What the final step needs of one page.
#[derive(Debug)]
struct PageRecord {
    page: String,
    links: Vec<Pending>,
    fragments: Vec<u8>,
    ids: Vec<u8>,
}

/// The pages read so far, and the findings made while reading them.
#[derive(Default)]
struct Pages {
    records: Vec<PageRecord>,
    findings: Vec<LinkFinding>,
}

/// Collects the links of the pages of one site (see the module docs).
pub struct LinkScanner {
    /// Tells this scanner's entries in the per-thread caches from others'.
    id: u64,
    site: SiteAddress,
    /// Every target linked to, decoded, with its id.
    targets: Mutex<HashMap<Box<[u8]>, u32>>,
    pages: Mutex<Pages>,
}

/// True for the files whose links are checked.
pub fn is_page(rel: &str) -> bool {
    rel.ends_with(".html") || rel.ends_with(".htm")
}

/// True for a fragment that needs no `id`: empty, `top`, a text fragment.
fn fragment_needs_no_id(fragment: &[u8]) -> bool {
    fragment.is_empty() || fragment.eq_ignore_ascii_case(b"top") || fragment.starts_with(b":~:")
}

impl LinkScanner {
    /// A scanner for the site at `site`.
    pub fn new(site: SiteAddress) -> LinkScanner {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        LinkScanner {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            site,
            targets: Mutex::default(),
            pages: Mutex::default(),
        }
    }

    /// Read the links of one built file (`rel` relative to the output
    /// root); files that are not HTML pages are ignored.
    pub fn scan_page(&self, rel: &str, bytes: &[u8]) {
        if is_page(rel) {
            page::read_page(self, rel, bytes);
        }
    }

    /// The findings, given every file of the site (relative paths, pages
    /// and other files alike), sorted by page and position.
    pub fn finish<'a>(self, files: impl IntoIterator<Item = &'a str>) -> Vec<LinkFinding> {
        let targets = self.targets.into_inner().unwrap_or_else(|e| e.into_inner());
        let pages = self.pages.into_inner().unwrap_or_else(|e| e.into_inner());
        let files: HashSet<&[u8]> = files.into_iter().map(str::as_bytes).collect();
        let mut keys: Vec<&[u8]> = vec![&[]; targets.len()];
        for (key, &id) in &targets {
            keys[id as usize] = key;
        }
        // The file each target is, if any: the key itself or its index.html.
        let resolved: Vec<Option<Vec<u8>>> = keys
            .par_iter()
            .map(|key| resolve_file(&files, key))
            .collect();
        let by_page: HashMap<&[u8], usize> = pages
            .records
            .iter()
            .enumerate()
            .map(|(i, p)| (p.page.as_bytes(), i))
            .collect();
        let base = self.site.base_path();
        let mut findings: Vec<LinkFinding> = pages
            .records
            .par_iter()
            .flat_map_iter(|page| {
                let check = |link: &Pending| {
                    let problem = match &resolved[link.target as usize] {
                        None => LinkProblem::Missing,
                        Some(file) => missing_anchor(&pages.records, &by_page, page, link, file)?,
                    };
                    Some(page_finding(
                        page,
                        link,
                        problem,
                        site_path(base, &String::from_utf8_lossy(keys[link.target as usize])),
                    ))
                };
                page.links.iter().filter_map(check).collect::<Vec<_>>()
            })
            .collect();
        findings.extend(pages.findings);
        findings.sort_unstable();
        findings
    }
}

/// The file a key names: itself, or `key/index.html` for a directory
/// linked without its slash.
fn resolve_file(files: &HashSet<&[u8]>, key: &[u8]) -> Option<Vec<u8>> {
    if files.contains(key) {
        return Some(key.to_vec());
    }
    if key.ends_with(b"index.html") || key.is_empty() {
        return None;
    }
    let mut dir = key.to_vec();
    dir.extend_from_slice(b"/index.html");
    files.contains(&dir[..]).then_some(dir)
}

/// `Some(MissingAnchor)` when the link has a fragment its target page
/// lacks; `None` when the link is fine.
fn missing_anchor(
    pages: &[PageRecord],
    by_page: &HashMap<&[u8], usize>,
    page: &PageRecord,
    link: &Pending,
    file: &[u8],
) -> Option<LinkProblem> {
    let (start, end) = link.fragment?;
    let fragment = &page.fragments[start as usize..end as usize];
    let target = pages.get(*by_page.get(file)?)?;
    (!scan::has_id(&target.ids, fragment)).then(|| LinkProblem::MissingAnchor {
        anchor: String::from_utf8_lossy(fragment).into_owned(),
    })
}

fn page_finding(
    page: &PageRecord,
    link: &Pending,
    problem: LinkProblem,
    target: String,
) -> LinkFinding {
    LinkFinding {
        page: page.page.clone(),
        line: link.line,
        column: link.column,
        attr: link.attr,
        problem,
        target,
    }
}

/// The site path of a built file, for messages: `/gk/a/b/` for
/// `a/b/index.html` on a site at `/gk`.
pub fn site_path(base_path: &str, file: &str) -> String {
    let shown = file.strip_suffix("index.html").unwrap_or(file);
    format!("{base_path}/{shown}")
}

/// Check a site given as (relative path, bytes) pairs, in parallel.
pub fn check_files(site: SiteAddress, files: &[(&str, &[u8])]) -> Vec<LinkFinding> {
    let scanner = LinkScanner::new(site);
    files
        .par_iter()
        .for_each(|(rel, bytes)| scanner.scan_page(rel, bytes));
    scanner.finish(files.iter().map(|(rel, _)| *rel))
}

/// Check the built site in `dir` (a directory walk: every file is listed,
/// every page read).
pub fn check_dir(site: SiteAddress, dir: &Path) -> crate::diag::Result<Vec<LinkFinding>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            crate::fsutil::io_error("无法读取", &path, e.into())
        })?;
        if entry.file_type().is_file() {
            files.push(crate::diag::display_path(dir, entry.path()));
        }
    }
    let scanner = LinkScanner::new(site);
    files
        .par_iter()
        .filter(|rel| is_page(rel))
        .try_for_each(|rel| {
            let bytes = crate::fsutil::read(&dir.join(rel))?;
            scanner.scan_page(rel, &bytes);
            Ok::<(), crate::diag::Error>(())
        })?;
    Ok(scanner.finish(files.iter().map(String::as_str)))
}

#[cfg(test)]
mod tests;
