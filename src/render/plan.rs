//! Rendering part of a site: names for the units of rendering work that
//! stay the same from one build to the next (items by id, not by index),
//! and a record of which files each unit wrote. `serve` uses both to redo
//! only what an edit touched.

use crate::config::Config;
use crate::content::library::{Item, Library};
use crate::diag::Result;
use crate::output::Sink;
use crate::search::SearchDoc;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// A unit of rendering work of one copy of the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JobKey {
    /// The portal home page.
    Home,
    /// `404.html`.
    NotFound,
    /// A district home page (district id).
    District(String),
    /// A column's paginated list (district id, column id).
    Column(String, String),
    /// A column's QR sheet (district id, column id).
    QrSheet(String, String),
    /// An item's page with its print page, QR images, attachments and
    /// redirects (item id).
    Item(String),
    /// The catalogue of the site or of a district.
    Catalog(Option<String>),
    /// The service directory of the site or of a district.
    Services(Option<String>),
    /// A district's FAQ index (district id).
    Questions(String),
    /// `/stats/`.
    Stats,
    /// Feeds, sitemap, robots.txt and open data.
    Extras,
    /// The search index and `/search/`.
    Search,
    /// Theme and site static files.
    Statics,
}

impl JobKey {
    /// True for the keys of pages that list items (everything but item
    /// pages, the 404 page and files copied as they are).
    pub fn is_listing(&self) -> bool {
        !matches!(
            self,
            JobKey::Item(_) | JobKey::NotFound | JobKey::Statics | JobKey::Extras | JobKey::Search
        )
    }
}

impl JobKey {
    /// The key as one line of text (for the build state file); ids never
    /// contain a tab or a newline.
    pub fn token(&self) -> String {
        let opt = |d: &Option<String>| d.clone().unwrap_or_default();
        match self {
            JobKey::Home => "home".to_string(),
            JobKey::NotFound => "404".to_string(),
            JobKey::District(d) => format!("district\t{d}"),
            JobKey::Column(d, c) => format!("column\t{d}\t{c}"),
            JobKey::QrSheet(d, c) => format!("qr-sheet\t{d}\t{c}"),
            JobKey::Item(id) => format!("item\t{id}"),
            JobKey::Catalog(d) => format!("catalog\t{}", opt(d)),
            JobKey::Services(d) => format!("services\t{}", opt(d)),
            JobKey::Questions(d) => format!("questions\t{d}"),
            JobKey::Stats => "stats".to_string(),
            JobKey::Extras => "extras".to_string(),
            JobKey::Search => "search".to_string(),
            JobKey::Statics => "statics".to_string(),
        }
    }

    /// The key a [`JobKey::token`] stands for.
    pub fn from_token(token: &str) -> Option<JobKey> {
        let mut parts = token.split('\t');
        let kind = parts.next()?;
        let mut next = || parts.next().map(str::to_string);
        let opt = |d: String| (!d.is_empty()).then_some(d);
        Some(match kind {
            "home" => JobKey::Home,
            "404" => JobKey::NotFound,
            "district" => JobKey::District(next()?),
            "column" => JobKey::Column(next()?, next()?),
            "qr-sheet" => JobKey::QrSheet(next()?, next()?),
            "item" => JobKey::Item(next()?),
            "catalog" => JobKey::Catalog(opt(next()?)),
            "services" => JobKey::Services(opt(next()?)),
            "questions" => JobKey::Questions(next()?),
            "stats" => JobKey::Stats,
            "extras" => JobKey::Extras,
            "search" => JobKey::Search,
            "statics" => JobKey::Statics,
            _ => return None,
        })
    }
}

/// Every job key of one copy of a site, in no particular order.
pub fn all_keys(config: &Config, library: &Library) -> Vec<JobKey> {
    let mut keys = vec![
        JobKey::Home,
        JobKey::NotFound,
        JobKey::Catalog(None),
        JobKey::Services(None),
        JobKey::Stats,
        JobKey::Extras,
        JobKey::Search,
        JobKey::Statics,
    ];
    for district in &library.districts {
        let d = &district.id;
        keys.extend([
            JobKey::District(d.clone()),
            JobKey::Catalog(Some(d.clone())),
            JobKey::Services(Some(d.clone())),
            JobKey::Questions(d.clone()),
        ]);
        for column in &config.columns {
            keys.push(JobKey::Column(d.clone(), column.id.clone()));
            keys.push(JobKey::QrSheet(d.clone(), column.id.clone()));
        }
    }
    keys.extend(
        library
            .items
            .iter()
            .filter(|i| i.published)
            .map(|i| JobKey::Item(i.id.clone())),
    );
    keys
}

/// How one item changed since the run that wrote the pages kept.
pub struct Edit {
    /// Index of the item in the current library.
    pub index: usize,
    /// Whether anything other pages show of it changed (see
    /// [`shown_elsewhere`]), not only the body.
    pub shown_changed: bool,
    /// Whether the body changed.
    pub body_changed: bool,
    /// Ids of the items its previous version linked to.
    pub old_links: Vec<String>,
}

/// What the edits `edits` make stale, when nothing was added or removed and
/// nothing but items changed: the edited items' own pages, to render first,
/// and the rest (search index, feeds and open data always; the FAQ index
/// after a FAQ body edit; after any change other pages show, every listing
/// and the pages of the items linked to or from the edited ones).
pub fn stale_jobs(
    config: &Config,
    library: &Library,
    edits: &[Edit],
) -> (HashSet<JobKey>, HashSet<JobKey>) {
    let mut now = HashSet::new();
    let mut later: HashSet<JobKey> = HashSet::new();
    if edits.is_empty() {
        return (now, later);
    }
    later.extend([JobKey::Extras, JobKey::Search]);
    let mut lists = false;
    let id = |i: usize| JobKey::Item(library.items[i].id.clone());
    for edit in edits {
        let new = &library.items[edit.index];
        now.insert(id(edit.index));
        if edit.shown_changed {
            lists = true;
            later.extend(
                edit.old_links
                    .iter()
                    .map(|target| JobKey::Item(target.clone())),
            );
            later.extend(new.links.iter().map(|&(_, t)| id(t)));
            later.extend(
                library
                    .items
                    .iter()
                    .enumerate()
                    .filter(|(_, it)| it.links.iter().any(|&(_, t)| t == edit.index))
                    .map(|(i, _)| id(i)),
            );
        } else if edit.body_changed && new.kind() == crate::content::words::Kind::Faq {
            // The FAQ index lists the questions (headings) of the body.
            later.insert(JobKey::Questions(
                library.districts[new.district].id.clone(),
            ));
        }
    }
    if lists {
        later.extend(
            all_keys(config, library)
                .into_iter()
                .filter(JobKey::is_listing),
        );
    }
    later.retain(|key| !now.contains(key));
    (now, later)
}

/// A hash of everything of an item that pages other than its own may
/// show: all of it but the body. `common` and `fields` come from the front
/// matter text alone, so its hash stands for them.
pub fn shown_key(item: &Item) -> u128 {
    let derived = format!(
        "{}|{}|{}|{:?}|{:?}",
        item.index_no, item.short_code, item.published, item.links, item.bundle_dir
    );
    crate::incremental::hash_parts([item.front_hash.to_le_bytes().as_slice(), derived.as_bytes()])
}

/// Which jobs to run.
#[derive(Clone, Copy)]
pub struct Selection<'a> {
    /// The jobs to run; `None` runs them all.
    pub only: Option<&'a HashSet<JobKey>>,
    /// Record what each job wrote ([`Tracked::outputs`]).
    pub track: bool,
    /// Keep the search documents of the items rendered
    /// ([`Tracked::docs`], for `serve`'s next run).
    pub keep_docs: bool,
    /// Search documents of the items not rendered in this run (from an
    /// earlier one), for a run that rebuilds the search index.
    pub docs: Option<&'a HashMap<String, SearchDoc>>,
}

impl Selection<'_> {
    /// Run every job and record nothing: a plain build.
    pub const ALL: Selection<'static> = Selection {
        only: None,
        track: false,
        keep_docs: false,
        docs: None,
    };

    pub(crate) fn runs(&self, key: &JobKey) -> bool {
        self.only.is_none_or(|only| only.contains(key))
    }
}

/// What a tracked run wrote.
#[derive(Debug, Default)]
pub struct Tracked {
    /// The files each job wrote (both copies), as site paths.
    pub outputs: HashMap<JobKey, Vec<String>>,
    /// Search documents of the items rendered (main copy), by item id.
    pub docs: HashMap<String, SearchDoc>,
}

/// A sink that remembers the paths written through it.
pub(crate) struct Recorder<'a> {
    pub(crate) inner: &'a dyn Sink,
    pub(crate) paths: Mutex<Vec<String>>,
}

impl Sink for Recorder<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.put(rel, bytes)?;
        self.paths
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(rel.to_string());
        Ok(())
    }
}
