//! Reading one page's links into what the final step keeps. Each thread
//! has a workspace reused from page to page, with a cache from the
//! root-relative links it has already resolved (the navigation and footer
//! of every page) to their target ids, so most links cost one hash lookup.

use super::resolve::{self, Link};
use super::scan::{self, Found};
use super::{
    HashMap, LinkFinding, LinkProblem, LinkScanner, PageRecord, Pending, fragment_needs_no_id,
};
use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;

/// Entries a thread's cache of resolved links may hold.
const KNOWN_LIMIT: usize = 100_000;

/// One thread's working memory.
#[derive(Default)]
struct Workspace {
    /// The scanner whose ids `known` holds.
    scanner: u64,
    /// Root-relative link values without fragment → target id.
    known: HashMap<Box<[u8]>, u32>,
    /// Decoded keys of this page's new targets, back to back.
    keys: Vec<u8>,
    /// Link values to remember in `known`, back to back.
    values: Vec<u8>,
    /// This page's links still to intern: key range, value range, link.
    fresh: Vec<(Range<usize>, Option<Range<usize>>, Pending)>,
    /// This page's links with their target id.
    links: Vec<Pending>,
    /// This page's attribute values.
    found: Vec<Found>,
    scratch: (Vec<u8>, Vec<usize>),
}

/// What a page keeps besides its links.
struct PageParts<'r> {
    rel: &'r str,
    ids: Vec<u8>,
    fragments: Vec<u8>,
    findings: Vec<LinkFinding>,
}

thread_local! {
    static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
}

/// Read the links of the page `rel` into `scanner`.
pub(super) fn read_page(scanner: &LinkScanner, rel: &str, bytes: &[u8]) {
    WORKSPACE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut workspace) => workspace.read(scanner, rel, bytes),
        Err(_) => Workspace::default().read(scanner, rel, bytes),
    });
}

impl PageParts<'_> {
    fn finding(&mut self, found: &Found, problem: LinkProblem, value: &[u8]) {
        self.findings.push(LinkFinding {
            page: self.rel.to_string(),
            line: found.line,
            column: found.column,
            attr: found.attr,
            problem,
            target: String::from_utf8_lossy(value).into_owned(),
        });
    }

    /// A `#fragment` on this page: is its `id` here?
    fn same_page(&mut self, found: &Found, fragment: &[u8], value: &[u8]) {
        let mut anchor = Cow::Borrowed(fragment);
        if fragment.contains(&b'%') {
            let mut decoded = Vec::new();
            resolve::percent_decode_into(&mut decoded, fragment);
            anchor = decoded.into();
        }
        if !fragment_needs_no_id(&anchor) && !scan::has_id(&self.ids, &anchor) {
            let anchor = String::from_utf8_lossy(&anchor).into_owned();
            self.finding(found, LinkProblem::MissingAnchor { anchor }, value);
        }
    }
}

impl Workspace {
    fn read(&mut self, scanner: &LinkScanner, rel: &str, bytes: &[u8]) {
        if self.scanner != scanner.id {
            self.known.clear();
            self.scanner = scanner.id;
        }
        self.keys.clear();
        self.values.clear();
        self.fresh.clear();
        self.links.clear();
        let mut found = std::mem::take(&mut self.found);
        found.clear();
        let mut page = PageParts {
            rel,
            ids: scan::scan(bytes, &mut found),
            fragments: Vec::new(),
            findings: Vec::new(),
        };
        for link in &found {
            let value = scan::decode_entities(&bytes[link.start..link.end]);
            self.add(scanner, &mut page, link, &value);
        }
        self.found = found;
        self.publish(scanner, page);
    }

    fn add(&mut self, scanner: &LinkScanner, page: &mut PageParts, found: &Found, value: &[u8]) {
        match scanner.site.classify(value) {
            Link::Skip | Link::External { insecure: false } => {}
            Link::Script => page.finding(found, LinkProblem::Script, value),
            Link::External { insecure: true } => page.finding(found, LinkProblem::Insecure, value),
            Link::OutsideBase => page.finding(found, LinkProblem::OutsideBase, value),
            Link::SamePage { fragment } => page.same_page(found, fragment, value),
            Link::Internal {
                path,
                root,
                fragment,
                insecure,
            } => {
                if insecure {
                    page.finding(found, LinkProblem::Insecure, value);
                }
                let cacheable = root && fragment.is_none() && !insecure;
                let mut link = Pending {
                    target: 0,
                    line: found.line,
                    column: found.column,
                    attr: found.attr,
                    fragment: None,
                };
                if cacheable && let Some(&target) = self.known.get(value) {
                    link.target = target;
                    return self.links.push(link);
                }
                let (out, starts) = &mut self.scratch;
                if resolve::target_key(out, starts, rel_bytes(page), path, root).is_err() {
                    return page.finding(found, LinkProblem::Missing, value);
                }
                let key = self.keys.len()..self.keys.len() + out.len();
                self.keys.extend_from_slice(out);
                link.fragment = fragment.and_then(|f| decoded_fragment(&mut page.fragments, f));
                let remembered = cacheable.then(|| {
                    let start = self.values.len();
                    self.values.extend_from_slice(value);
                    start..self.values.len()
                });
                self.fresh.push((key, remembered, link));
            }
        }
    }

    /// Intern the page's new targets and hand its record to the scanner.
    fn publish(&mut self, scanner: &LinkScanner, page: PageParts) {
        let mut targets = scanner.targets.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _, link) in &mut self.fresh {
            let key = &self.keys[key.clone()];
            let next = targets.len() as u32;
            link.target = match targets.get(key) {
                Some(&id) => id,
                None => *targets.entry(key.into()).or_insert(next),
            };
        }
        drop(targets);
        self.links
            .extend(self.fresh.iter().map(|(_, _, link)| *link));
        // A page linking the same place twice is reported once, at the first.
        let fragments = &page.fragments;
        let fragment = |p: &Pending| p.fragment.map(|(s, e)| &fragments[s as usize..e as usize]);
        self.links.sort_unstable_by(|a, b| {
            (a.target, fragment(a), a.line, a.column).cmp(&(
                b.target,
                fragment(b),
                b.line,
                b.column,
            ))
        });
        self.links.dedup_by(|later, first| {
            later.target == first.target && fragment(later) == fragment(first)
        });
        let record = PageRecord {
            page: page.rel.to_string(),
            links: self.links.clone(),
            fragments: page.fragments,
            ids: page.ids,
        };
        let mut pages = scanner.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.findings.extend(page.findings);
        pages.records.push(record);
        drop(pages);
        for (_, value, link) in &self.fresh {
            if let Some(value) = value
                && self.known.len() < KNOWN_LIMIT
            {
                self.known
                    .insert(self.values[value.clone()].into(), link.target);
            }
        }
    }
}

fn rel_bytes<'a>(page: &PageParts<'a>) -> &'a [u8] {
    page.rel.as_bytes()
}

/// Append a link's fragment, decoded, to the page's fragments; `None`
/// (and nothing kept) for one that needs no `id`.
fn decoded_fragment(fragments: &mut Vec<u8>, fragment: &[u8]) -> Option<(u32, u32)> {
    let start = fragments.len();
    resolve::percent_decode_into(fragments, fragment);
    if fragment_needs_no_id(&fragments[start..]) {
        fragments.truncate(start);
        return None;
    }
    Some((start as u32, fragments.len() as u32))
}
