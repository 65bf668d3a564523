//! Rendering part of a site: names for the units of rendering work that
//! stay the same from one build to the next (items by id, not by index),
//! and a record of which files each unit wrote. `serve` uses both to redo
//! only what an edit touched.

use crate::config::Config;
use crate::content::library::Library;
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

/// Which jobs to run.
#[derive(Clone, Copy)]
pub struct Selection<'a> {
    /// The jobs to run; `None` runs them all.
    pub only: Option<&'a HashSet<JobKey>>,
    /// Record what each job wrote ([`Tracked`]).
    pub track: bool,
    /// Search documents of the items not rendered in this run (from an
    /// earlier one), for a run that rebuilds the search index.
    pub docs: Option<&'a HashMap<String, SearchDoc>>,
}

impl Selection<'_> {
    /// Run every job and record nothing: a plain build.
    pub const ALL: Selection<'static> = Selection {
        only: None,
        track: false,
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
