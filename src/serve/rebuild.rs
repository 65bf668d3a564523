//! Building the site into memory for the preview: the same stages as
//! `gongkai build` (configuration, content, theme, render), with a
//! [`MemorySink`] in place of the staging directory.
//!
//! After a full build the builder keeps what it loaded and which files
//! each unit of rendering work wrote ([`JobKey`]). An edit of item files
//! (nothing added, removed or renamed; no template, static file or
//! configuration touched) is then rebuilt incrementally:
//!
//! 1. only the edited files are read again, and the whole library is
//!    checked again ([`library::reload`]);
//! 2. the edited items' own pages are rendered and served at once, and
//!    open tabs reload;
//! 3. then everything else the edit may change is rendered: always the
//!    search index, feeds and open data; the FAQ index of an edited FAQ's
//!    district; and, when anything but the body changed (what lists and
//!    linking pages show), every list page and the pages of the items
//!    linking to or from the edited ones. Until this step is done, a
//!    request for one of those files, or for a file the site does not
//!    have, waits for it, so no stale list, search index or feed is ever
//!    served.
//!
//! Anything else, and any failure to render, falls back to a full build.

use super::classify::{Change, ItemChange};
use super::memory::{MemorySink, SiteFiles};
use crate::config::Config;
use crate::content::library::{self, Item, Library, LoadOptions};
use crate::diag::Error;
use crate::render::plan::{self, JobKey, Selection};
use crate::render::theme::Theme;
use crate::render::{self, Site};
use crate::search::SearchDoc;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How to build the preview.
#[derive(Debug)]
pub struct Builder {
    /// Site root.
    pub root: PathBuf,
    /// The preview's own address, so links, feeds and QR codes point at it.
    pub base_url: String,
    /// Publish drafts too.
    pub drafts: bool,
    /// QR codes drawn by the previous build, reused by the next.
    pub qr: std::sync::Arc<std::sync::Mutex<crate::qr::Cache>>,
    /// What the last full build loaded and wrote, for incremental rebuilds.
    pub state: Mutex<Option<State>>,
}

/// What an incremental rebuild starts from.
pub struct State {
    config: Config,
    theme: Theme,
    library: Library,
    files: SiteFiles,
    /// The files of each job (both copies).
    outputs: HashMap<JobKey, Vec<String>>,
    /// The search document of every published item.
    docs: HashMap<String, SearchDoc>,
    /// Item files whose latest version did not build: read again with
    /// every edit until they do.
    pending: BTreeSet<String>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "State({} files)", self.files.len())
    }
}

/// A successful build.
pub struct Built {
    /// The rendered files.
    pub files: SiteFiles,
    /// Published items.
    pub items: usize,
    /// HTML pages rendered by this build.
    pub pages: usize,
    /// Time taken.
    pub elapsed: Duration,
    /// For an incremental rebuild, when the edited pages were served.
    pub early: Option<Duration>,
}

/// The edited pages of an incremental rebuild, served before the rest is
/// done: the site, and the files that may still change.
pub type Early<'a> = &'a mut dyn FnMut(SiteFiles, HashSet<String>);

impl Builder {
    /// A builder for the site at `root`, previewed at `base_url`.
    pub fn new(root: PathBuf, base_url: String, drafts: bool) -> Builder {
        let qr = crate::qr::Cache::load(&root.join(crate::cli::QR_CACHE));
        Builder {
            root,
            base_url,
            drafts,
            qr: std::sync::Arc::new(std::sync::Mutex::new(qr)),
            state: Mutex::new(None),
        }
    }

    /// Rebuild after `change`: incrementally when only item files were
    /// edited and the last build left a state, else in full. `early`
    /// receives the edited pages of an incremental rebuild.
    /// Errors come back as `path:line:col: …` lines, sorted.
    pub fn rebuild(&self, change: &Change, early: Early) -> Result<Built, Vec<String>> {
        if let Some(edited) = edited_items(change) {
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(current) = state.as_mut() {
                let started = Instant::now();
                let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.incremental(current, &edited, early, started)
                }));
                match attempt {
                    Ok(Some(result)) => return result,
                    Ok(None) => {}
                    Err(_) => {
                        *state = None;
                        return Err(internal_error());
                    }
                }
                *state = None;
            }
        }
        self.build()
    }

    /// Build the whole site. A panic in a stage is caught and reported as
    /// an error, so one bad file cannot stop the preview.
    pub fn build(&self) -> Result<Built, Vec<String>> {
        let started = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        *state = None;
        let attempt = std::panic::catch_unwind(|| self.build_unguarded());
        match attempt {
            Ok(Ok((built, kept))) => {
                let files = built.files.clone();
                *state = Some(kept);
                Ok(Built {
                    files,
                    elapsed: started.elapsed(),
                    ..built
                })
            }
            Ok(Err(error)) => Err(error_lines(&error, &self.root)),
            Err(_) => Err(internal_error()),
        }
    }

    fn build_unguarded(&self) -> Result<(Built, State), Error> {
        let (config, library, theme) =
            crate::cli::load_site(&self.root, Some(&self.base_url), self.drafts)?;
        let previous = self.qr.lock().map(|c| c.next()).unwrap_or_default();
        let site = Site {
            root: &self.root,
            config: &config,
            library: &library,
            theme: &theme,
            progress: None,
            qr: &previous,
        };
        let sink = MemorySink::default();
        let selection = Selection {
            track: true,
            keep_docs: true,
            ..Selection::ALL
        };
        let (pages, tracked) = render::render_selected(&site, &sink, selection)?;
        if let Ok(mut cache) = self.qr.lock() {
            *cache = previous;
        }
        let items = library.items.iter().filter(|i| i.published).count();
        let files = sink.into_site();
        let built = Built {
            files: files.clone(),
            items,
            pages,
            elapsed: Duration::ZERO,
            early: None,
        };
        let state = State {
            config,
            theme,
            library,
            files,
            outputs: tracked.outputs,
            docs: tracked.docs,
            pending: BTreeSet::new(),
        };
        Ok((built, state))
    }

    /// Rebuild after an edit of the item files `edited`; `None` when it
    /// has to be a full build.
    fn incremental(
        &self,
        state: &mut State,
        edited: &[String],
        early: Early,
        started: Instant,
    ) -> Option<Result<Built, Vec<String>>> {
        let mut sources: BTreeSet<String> = state.pending.clone();
        sources.extend(edited.iter().cloned());
        let sources: Vec<String> = sources.into_iter().collect();
        let options = LoadOptions {
            drafts: self.drafts,
            today: state.library.today,
        };
        let replaced = match library::reload(
            &mut state.library,
            &self.root,
            &state.config,
            options,
            &sources,
        ) {
            Ok(Some(replaced)) => replaced,
            Ok(None) => return None,
            Err(diags) => {
                state.pending.extend(sources);
                return Some(Err(error_lines(&Error::Content(diags), &self.root)));
            }
        };
        state.pending.clear();
        let (now, later) = dirty(&state.config, &state.library, &replaced);
        let mut pages = self.render_part(state, &now).ok()?;
        let unsettled: HashSet<String> = later
            .iter()
            .filter_map(|key| state.outputs.get(key))
            .flatten()
            .cloned()
            .collect();
        early(state.files.clone(), unsettled);
        let early_at = started.elapsed();
        pages += self.render_part(state, &later).ok()?;
        let items = state.library.items.iter().filter(|i| i.published).count();
        Some(Ok(Built {
            files: state.files.clone(),
            items,
            pages,
            elapsed: started.elapsed(),
            early: Some(early_at),
        }))
    }

    /// Render the jobs `keys` (both copies) and put their files in place of
    /// what the same jobs wrote before.
    fn render_part(&self, state: &mut State, keys: &HashSet<JobKey>) -> Result<usize, Error> {
        let cache = self.qr.lock().unwrap_or_else(|p| p.into_inner());
        let site = Site {
            root: &self.root,
            config: &state.config,
            library: &state.library,
            theme: &state.theme,
            progress: None,
            qr: &cache,
        };
        let sink = MemorySink::default();
        let selection = Selection {
            only: Some(keys),
            track: true,
            keep_docs: true,
            docs: Some(&state.docs),
        };
        let (pages, tracked) = render::render_selected(&site, &sink, selection)?;
        for key in keys {
            for path in state.outputs.remove(key).unwrap_or_default() {
                state.files.remove(&path);
            }
            if let JobKey::Item(id) = key {
                state.docs.remove(id);
            }
        }
        state.files.absorb(sink.into_site());
        state.outputs.extend(tracked.outputs);
        state.docs.extend(tracked.docs);
        Ok(pages)
    }
}

/// The item files of `change` when it is nothing but edits of them.
fn edited_items(change: &Change) -> Option<Vec<String>> {
    let only_items = !change.config
        && change.templates.is_empty()
        && change.statics.is_empty()
        && change.sections.is_empty()
        && change.attachments.is_empty()
        && change.rescan.is_empty();
    let edited: Vec<String> = change
        .items
        .iter()
        .filter(|(_, c)| **c == ItemChange::Edited)
        .map(|(path, _)| path.clone())
        .collect();
    (only_items && !edited.is_empty() && edited.len() == change.items.len()).then_some(edited)
}

/// What an edit of the items `replaced` (index, version before) makes
/// stale: the edited items' pages, to render first, and the rest.
fn dirty(
    config: &Config,
    library: &Library,
    replaced: &[(usize, Item)],
) -> (HashSet<JobKey>, HashSet<JobKey>) {
    let edits: Vec<plan::Edit> = replaced
        .iter()
        .map(|(index, old)| {
            let new = &library.items[*index];
            plan::Edit {
                index: *index,
                shown_changed: plan::shown_key(old) != plan::shown_key(new),
                body_changed: old.body != new.body,
                old_links: old
                    .links
                    .iter()
                    .map(|&(_, t)| library.items[t].id.clone())
                    .collect(),
            }
        })
        .collect();
    plan::stale_jobs(config, library, &edits)
}

fn internal_error() -> Vec<String> {
    vec!["错误：生成网站时程序内部出错（上面打印了详情），请把这条信息报告给开发者".to_string()]
}

/// An error as the entries shown in the terminal and the overlay: each
/// problem of the site at `root` with its source line and a caret, as
/// `gongkai check` prints it.
pub fn error_lines(error: &Error, root: &Path) -> Vec<String> {
    match error {
        Error::Content(diags) => crate::report::text_blocks(root, diags),
        other => vec![format!("错误：{other}")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;

    #[test]
    fn errors_become_sorted_lines_with_coordinates() {
        let error = Error::Content(vec![
            Diagnostic::error("content/b.md", 3, 1, "二"),
            Diagnostic::error("content/a.md", 7, 11, "一").with_field("title"),
        ]);
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("content")).unwrap();
        std::fs::write(
            root.path().join("content/b.md"),
            "---\ntitle: a\n标题：二\n",
        )
        .unwrap();
        assert_eq!(
            error_lines(&error, root.path()),
            vec![
                "content/a.md:7:11: 错误: title: 一".to_string(),
                "content/b.md:3:1: 错误: 二\n 3 | 标题：二\n   | ^".to_string(),
            ]
        );
        assert_eq!(
            error_lines(&Error::Other("坏".to_string()), root.path()),
            vec!["错误：坏".to_string()]
        );
    }
}
