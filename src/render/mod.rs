//! Rendering: every page of the site built from the library and the theme,
//! in parallel and in memory, handed to a [`Sink`] (the staging directory
//! for `build`, a counter for `check`).

pub mod copies;
pub mod disclosure;
pub mod extra;
pub mod item;
pub mod plan;
pub mod theme;
pub mod views;

use crate::config::Config;
use crate::content::library::Library;
use crate::diag::{Diagnostic, Error};
use crate::markdown;
use crate::output::Sink;
use crate::qr;
use item::{ItemInputs, QrView};
use plan::{JobKey, Selection, Tracked};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;
use theme::Theme;
use views::*;

/// Escape text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// What rendering needs.
#[derive(Clone, Copy)]
pub struct Site<'a> {
    /// Site root (for static files and attachments).
    pub root: &'a Path,
    /// Configuration.
    pub config: &'a Config,
    /// Validated content.
    pub library: &'a Library,
    /// Templates and theme files.
    pub theme: &'a Theme,
    /// Counters for a progress bar, if one is shown.
    pub progress: Option<&'a crate::progress::Progress>,
    /// QR codes drawn by earlier builds.
    pub qr: &'a qr::Cache,
}

/// Precomputed data shared by all pages.
pub(crate) struct Shared<'a> {
    pub(crate) site: &'a Site<'a>,
    pub(crate) summaries: Vec<Summary>,
    pub(crate) backlinks: Vec<Vec<(&'static str, usize)>>,
    /// Published item indices, newest first.
    pub(crate) newest: Vec<usize>,
    pub(crate) base: tera::Context,
    pub(crate) districts: Vec<DistrictView>,
    /// Each district's view as a template value, serialised once (every
    /// item and list page shows its district).
    pub(crate) district_values: Vec<tera::Value>,
    /// What item pages hand to the search index.
    search_docs: std::sync::Mutex<Vec<crate::search::SearchDoc>>,
}

/// One unit of rendering work.
enum Job {
    Home,
    NotFound,
    District(usize),
    Column(usize, usize),
    QrSheet(usize, usize),
    Item(usize),
    Catalog(Option<usize>),
    Services(Option<usize>),
    Questions(usize),
    Stats,
}

impl Job {
    fn key(&self, site: &Site) -> JobKey {
        let district = |d: usize| site.library.districts[d].id.clone();
        let column = |c: usize| site.config.columns[c].id.clone();
        match *self {
            Job::Home => JobKey::Home,
            Job::NotFound => JobKey::NotFound,
            Job::District(d) => JobKey::District(district(d)),
            Job::Column(d, c) => JobKey::Column(district(d), column(c)),
            Job::QrSheet(d, c) => JobKey::QrSheet(district(d), column(c)),
            Job::Item(i) => JobKey::Item(site.library.items[i].id.clone()),
            Job::Catalog(d) => JobKey::Catalog(d.map(district)),
            Job::Services(d) => JobKey::Services(d.map(district)),
            Job::Questions(d) => JobKey::Questions(district(d)),
            Job::Stats => JobKey::Stats,
        }
    }
}

/// Render the site and, when `traditional = true`, its Traditional Chinese
/// copy under `/zh-hant/`. Returns the number of HTML pages.
pub fn render_all(site: &Site, sink: &dyn Sink) -> Result<usize, Error> {
    render_selected(site, sink, Selection::ALL).map(|(pages, _)| pages)
}

/// Render the jobs `selection` names (with `traditional = true`, into both
/// copies: see [`copies`]). Returns the number of HTML pages and, for a
/// tracked run, what each job wrote.
pub fn render_selected(
    site: &Site,
    sink: &dyn Sink,
    selection: Selection,
) -> Result<(usize, Tracked), Error> {
    let tracked = selection
        .track
        .then(|| std::sync::Mutex::new(Tracked::default()));
    let pages = if site.config.traditional {
        let config = copies::placeholder_config(site.config);
        let values = copies::Values::new(site.config);
        let copy = Site {
            config: &config,
            ..*site
        };
        crate::timings::phase("render (both copies)", || {
            render_site(&copy, sink, Some(&values), selection, tracked.as_ref())
        })?
    } else {
        crate::timings::phase("render", || {
            render_site(site, sink, None, selection, tracked.as_ref())
        })?
    };
    let tracked = tracked
        .map(|t| t.into_inner().unwrap_or_else(|p| p.into_inner()))
        .unwrap_or_default();
    Ok((pages, tracked))
}

/// What one job writes through: the output, behind the recorder of a
/// tracked run and the writer of both copies.
struct Output<'a> {
    sink: &'a dyn Sink,
    copies: Option<&'a copies::Values>,
    tracked: Option<&'a std::sync::Mutex<Tracked>>,
}

impl Output<'_> {
    fn run<T>(&self, key: JobKey, work: impl FnOnce(&dyn Sink) -> T) -> T {
        let recorder = self.tracked.map(|_| plan::Recorder {
            inner: self.sink,
            paths: std::sync::Mutex::new(Vec::new()),
        });
        let base: &dyn Sink = match &recorder {
            Some(recorder) => recorder,
            None => self.sink,
        };
        let result = match self.copies {
            Some(values) => work(&copies::CopySink {
                inner: base,
                values,
            }),
            None => work(base),
        };
        if let (Some(tracked), Some(recorder)) = (self.tracked, recorder) {
            let paths = recorder
                .paths
                .into_inner()
                .unwrap_or_else(|p| p.into_inner());
            tracked
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .outputs
                .insert(key, paths);
        }
        result
    }
}

/// Render the site into `sink`. Returns the number of HTML pages.
fn render_site(
    site: &Site,
    sink: &dyn Sink,
    copies: Option<&copies::Values>,
    selection: Selection,
    tracked: Option<&std::sync::Mutex<Tracked>>,
) -> Result<usize, Error> {
    let output = Output {
        sink,
        copies,
        tracked,
    };
    let shared = prepare(site);
    let mut jobs = vec![
        Job::Home,
        Job::NotFound,
        Job::Catalog(None),
        Job::Services(None),
        Job::Stats,
    ];
    for d in 0..site.library.districts.len() {
        jobs.extend([
            Job::District(d),
            Job::Catalog(Some(d)),
            Job::Services(Some(d)),
            Job::Questions(d),
        ]);
        jobs.extend(
            (0..site.config.columns.len()).flat_map(|c| [Job::Column(d, c), Job::QrSheet(d, c)]),
        );
    }
    jobs.extend(
        (0..site.library.items.len())
            .filter(|&i| site.library.items[i].published)
            .map(Job::Item),
    );
    let jobs: Vec<(Job, JobKey)> = jobs
        .into_iter()
        .map(|job| {
            let key = job.key(site);
            (job, key)
        })
        .filter(|(_, key)| selection.runs(key))
        .collect();
    if let Some(progress) = site.progress {
        progress
            .total
            .store(jobs.len(), std::sync::atomic::Ordering::Relaxed);
    }
    let run = |list: &[(Job, JobKey)]| -> Vec<Result<usize, Error>> {
        list.par_iter()
            .map(|(job, key)| {
                let result = output.run(key.clone(), |sink| run_job(&shared, job, sink));
                if let Some(progress) = site.progress {
                    progress.tick();
                }
                result
            })
            .collect()
    };
    // Item pages first: they hand the search index its documents. The
    // index, feeds and open data are then built while the lists render.
    let (item_jobs, other_jobs): (Vec<_>, Vec<_>) = jobs
        .into_iter()
        .partition(|(job, _)| matches!(job, Job::Item(_)));
    let mut results = run(&item_jobs);
    let (others, tail) = rayon::join(
        || run(&other_jobs),
        || -> Result<usize, Error> {
            let (extras, search) = rayon::join(
                || {
                    if !selection.runs(&JobKey::Extras) {
                        return Ok(());
                    }
                    output.run(JobKey::Extras, |sink| {
                        crate::timings::span(crate::timings::Span::Feeds, || {
                            extra::write_extras(site, &shared.summaries, &shared.newest, sink)
                        })
                    })
                },
                || search_or_docs(&shared, &output, selection),
            );
            extras?;
            search
        },
    );
    results.extend(others);
    results.push(tail);
    let mut pages = 0;
    let mut diags = Vec::new();
    for result in results {
        match result {
            Ok(n) => pages += n,
            Err(Error::Content(d)) => diags.extend(d),
            Err(other) => return Err(other),
        }
    }
    if selection.runs(&JobKey::Statics) {
        output.run(JobKey::Statics, |sink| {
            for (rel, bytes) in &site.theme.statics {
                sink.put(rel, bytes)?;
            }
            let mut static_diags = Vec::new();
            for (rel, bytes) in
                crate::output::read_tree(site.root, &site.root.join("static"), &mut static_diags)
            {
                sink.put_raw(&rel, &bytes)?;
            }
            diags.extend(static_diags);
            Ok::<(), Error>(())
        })?;
    }
    if diags.is_empty() {
        Ok(pages)
    } else {
        Err(Error::Content(diags))
    }
}

/// The search index and page, or, when this run does not rebuild them,
/// the documents the rendered items handed in (kept for a later run).
fn search_or_docs(shared: &Shared, output: &Output, selection: Selection) -> Result<usize, Error> {
    if selection.runs(&JobKey::Search) {
        return output.run(JobKey::Search, |sink| {
            search_page(shared, sink, selection, output.tracked)
        });
    }
    if let Some(tracked) = output.tracked.filter(|_| selection.keep_docs) {
        let docs =
            std::mem::take(&mut *shared.search_docs.lock().unwrap_or_else(|p| p.into_inner()));
        tracked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .docs
            .extend(docs.into_iter().map(|d| (d.id.clone(), d)));
    }
    Ok(0)
}

fn prepare<'a>(site: &'a Site<'a>) -> Shared<'a> {
    let (config, library) = (site.config, site.library);
    let summaries: Vec<Summary> = library
        .items
        .par_iter()
        .map(|i| summary(config, library, i))
        .collect();
    let mut backlinks = vec![Vec::new(); library.items.len()];
    for (i, item) in library.items.iter().enumerate() {
        for (field, target) in &item.links {
            backlinks[*target].push((*field, i));
        }
    }
    let mut newest: Vec<usize> = (0..library.items.len())
        .filter(|&i| library.items[i].published)
        .collect();
    newest.sort_by(|&a, &b| {
        let (x, y) = (&library.items[a], &library.items[b]);
        y.common
            .date
            .cmp(&x.common.date)
            .then_with(|| x.id.cmp(&y.id))
    });
    let districts = library
        .districts
        .iter()
        .enumerate()
        .map(|(d, district)| {
            let section = library.sections.get(&(d, None));
            DistrictView {
                id: district.id.clone(),
                name: section
                    .and_then(|s| s.title.clone())
                    .unwrap_or_else(|| district.name.clone()),
                code: district.code.clone(),
                url: url_of(&config.base_path, &[&district.id]),
                summary: section.and_then(|s| s.summary.clone()).unwrap_or_default(),
                intro_html: section
                    .map(|s| markdown::render(&s.body, config.unsafe_html).html)
                    .unwrap_or_default(),
            }
        })
        .collect::<Vec<_>>();
    let mut base = tera::Context::new();
    base.insert(
        "site",
        &SiteView {
            title: &config.title,
            base_url: &config.base_url,
            base_path: &config.base_path,
            domain: &config.domain,
            language: &config.language,
            site_id_code: &config.site_id_code,
        },
    );
    base.insert(
        "generator",
        &format!("gongkai {}", env!("CARGO_PKG_VERSION")),
    );
    let nav: Vec<Link> = districts
        .iter()
        .map(|d| Link {
            name: d.name.clone(),
            url: d.url.clone(),
        })
        .collect();
    base.insert("nav_districts", &nav);
    base.insert("search_url", &format!("{}/search/", config.base_path));
    let district_values = districts
        .iter()
        .map(tera::Value::from_serializable)
        .collect();
    Shared {
        site,
        search_docs: std::sync::Mutex::new(Vec::new()),
        summaries,
        backlinks,
        newest,
        base,
        districts,
        district_values,
    }
}

fn run_job(shared: &Shared, job: &Job, sink: &dyn Sink) -> Result<usize, Error> {
    match job {
        Job::Home => home(shared, sink),
        Job::NotFound => {
            // Its own address, not the home page's: the navigation must not
            // mark 首页 as the current page, and the canonical link and the
            // 简/繁 switch lead to the 404 page, not to the home page.
            let page = PageMeta {
                title: "页面未找到".to_string(),
                ..page_meta(shared, "/404.html")
            };
            let ctx = context(shared, page, &[]);
            put_page(shared, sink, "404.html", "404.html", &ctx)
        }
        Job::District(d) => district(shared, *d, sink),
        Job::Column(d, c) => column(shared, *d, *c, sink),
        Job::QrSheet(d, c) => disclosure::qr_sheet(shared, sink, *d, *c),
        Job::Item(i) => item_page(shared, *i, sink),
        Job::Catalog(d) => disclosure::catalog(shared, sink, *d),
        Job::Services(d) => disclosure::service_directory(shared, sink, *d),
        Job::Questions(d) => disclosure::questions(shared, sink, *d),
        Job::Stats => disclosure::stats(shared, sink),
    }
}

pub(crate) fn page_meta(shared: &Shared, url_path: &str) -> PageMeta {
    let config = shared.site.config;
    PageMeta {
        title: config.title.clone(),
        url: format!("{}{url_path}", config.base_path),
        permalink: format!("{}{url_path}", config.base_url),
        description: config.title.clone(),
        ..PageMeta::default()
    }
}

pub(crate) fn context(shared: &Shared, page: PageMeta, crumbs: &[Link]) -> tera::Context {
    let mut ctx = shared.base.clone();
    let mut breadcrumbs = vec![Link {
        name: "首页".to_string(),
        url: format!("{}/", shared.site.config.base_path),
    }];
    breadcrumbs.extend_from_slice(crumbs);
    if let Some(lang) = language_switch(shared.site.config, &page.url) {
        ctx.insert("lang", &lang);
    }
    ctx.insert("page", &page);
    ctx.insert("breadcrumbs", &breadcrumbs);
    ctx
}

/// The 简/繁 counterparts of a page, when the site builds both copies.
#[derive(Serialize)]
struct LanguageSwitch {
    /// Absolute URL of the Simplified page (`hreflang="zh-Hans"`).
    simplified: String,
    /// Absolute URL of the Traditional page (`hreflang="zh-Hant"`).
    traditional: String,
    /// Root-relative URL of the other copy of this page.
    other_url: String,
    /// `hreflang` of the other copy.
    other_lang: String,
    /// The other copy's script, named in that script: 繁體 or 简体.
    other_name: String,
}

fn language_switch(config: &crate::config::Config, url: &str) -> Option<LanguageSwitch> {
    if !config.traditional {
        return None;
    }
    // Rendered once for both copies: `url` starts with the base path
    // placeholder, and what differs between the copies is a placeholder.
    let rest = url.strip_prefix(&config.base_path).unwrap_or(url);
    let origin = config
        .canonical_url
        .strip_suffix(&config.canonical_path)
        .unwrap_or(&config.canonical_url);
    let base = format!("{origin}{}", config.canonical_path);
    Some(LanguageSwitch {
        simplified: format!("{base}{rest}"),
        traditional: format!("{base}/{}{rest}", crate::config::HANT_DIR),
        other_url: format!("{}{rest}", copies::OTHER_BASE),
        other_lang: copies::OTHER_LANGUAGE.to_string(),
        other_name: copies::OTHER_NAME.to_string(),
    })
}

/// Write `bytes` to `out` with each byte that `replace` maps replaced by
/// what it maps to, the runs between them written whole.
pub(crate) fn write_replacing(
    bytes: &[u8],
    replace: impl Fn(u8) -> Option<&'static [u8]>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut start = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        if let Some(replacement) = replace(byte) {
            out.write_all(&bytes[start..at])?;
            out.write_all(replacement)?;
            start = at + 1;
        }
    }
    out.write_all(&bytes[start..])
}

/// Render `template` and store it at `rel`; a template error becomes a diagnostic.
pub(crate) fn put_page(
    shared: &Shared,
    sink: &dyn Sink,
    template: &str,
    rel: &str,
    ctx: &tera::Context,
) -> Result<usize, Error> {
    let html = shared
        .site
        .theme
        .render_bytes(template, ctx)
        .map_err(|d| Error::Content(vec![d]))?;
    sink.put(rel, &html)?;
    Ok(1)
}

#[derive(Serialize)]
struct DistrictCard<'a> {
    id: &'a str,
    name: &'a str,
    url: &'a str,
    summary: &'a str,
    item_count: usize,
}

fn home(shared: &Shared, sink: &dyn Sink) -> Result<usize, Error> {
    let library = shared.site.library;
    let cards: Vec<DistrictCard> = shared
        .districts
        .iter()
        .enumerate()
        .map(|(d, view)| DistrictCard {
            id: &view.id,
            name: &view.name,
            url: &view.url,
            summary: &view.summary,
            item_count: shared
                .newest
                .iter()
                .filter(|&&i| library.items[i].district == d)
                .count(),
        })
        .collect();
    let latest: Vec<&Summary> = shared
        .newest
        .iter()
        .take(20)
        .map(|&i| &shared.summaries[i])
        .collect();
    let mut ctx = context(shared, page_meta(shared, "/"), &[]);
    ctx.insert("districts", &cards);
    ctx.insert("latest", &latest);
    let base = &shared.site.config.base_path;
    let links = [
        ("政府信息公开目录", "catalog/"),
        ("政务服务事项目录", "services/"),
        ("信息公开统计", "stats/"),
        ("订阅更新（Atom）", "atom.xml"),
        ("开放数据（JSON）", "api/items.json"),
        ("网站地图", "sitemap.xml"),
    ]
    .map(|(name, path)| Link {
        name: name.to_string(),
        url: format!("{base}/{path}"),
    });
    ctx.insert("links", &links);
    put_page(shared, sink, "index.html", "index.html", &ctx)
}

#[derive(Serialize)]
struct ColumnCard<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    kind_label: &'static str,
    url: String,
    item_count: usize,
    latest: Vec<&'a Summary>,
}

fn column_items<'s>(shared: &'s Shared, d: usize, c: usize) -> impl Iterator<Item = usize> + 's {
    let items = &shared.site.library.items;
    shared
        .newest
        .iter()
        .copied()
        .filter(move |&i| items[i].district == d && items[i].column == c)
}

fn district(shared: &Shared, d: usize, sink: &dyn Sink) -> Result<usize, Error> {
    let config = shared.site.config;
    let view = &shared.districts[d];
    let cards: Vec<ColumnCard> = config
        .columns
        .iter()
        .enumerate()
        .map(|(c, column)| ColumnCard {
            id: &column.id,
            name: &column.name,
            kind: column.kind.en(),
            kind_label: column.kind.zh(),
            url: url_of(&config.base_path, &[&view.id, &column.id]),
            item_count: column_items(shared, d, c).count(),
            latest: column_items(shared, d, c)
                .take(6)
                .map(|i| &shared.summaries[i])
                .collect(),
        })
        .collect();
    let page = PageMeta {
        title: view.name.clone(),
        description: if view.summary.is_empty() {
            view.name.clone()
        } else {
            view.summary.clone()
        },
        ..page_meta(shared, &format!("/{}/", encode_segment(&view.id)))
    };
    let crumbs = [Link {
        name: view.name.clone(),
        url: view.url.clone(),
    }];
    let mut ctx = context(shared, page, &crumbs);
    ctx.insert("district", view);
    ctx.insert("columns", &cards);
    ctx.insert("upcoming", &upcoming_events(shared, d));
    let base = &config.base_path;
    let links = [
        ("政府信息公开目录", disclosure::CATALOG),
        ("事项目录", disclosure::DISTRICT_SERVICES),
        ("常见问题", disclosure::QUESTIONS),
    ]
    .map(|(name, folder)| Link {
        name: name.to_string(),
        url: url_of(base, &[&view.id, folder]),
    });
    ctx.insert("links", &links);
    put_page(
        shared,
        sink,
        "district.html",
        &format!("{}/index.html", view.id),
        &ctx,
    )
}

/// A livestream or meeting that has not started yet.
#[derive(Serialize)]
struct Upcoming<'a> {
    title: &'a str,
    url: &'a str,
    start: String,
    place: String,
}

/// Events of a district starting today or later, soonest first.
fn upcoming_events<'a>(shared: &'a Shared, d: usize) -> Vec<Upcoming<'a>> {
    use crate::content::front::KindFields;
    let library = shared.site.library;
    let mut events: Vec<(crate::date::DateTime, usize)> = shared
        .newest
        .iter()
        .filter(|&&i| library.items[i].district == d)
        .filter_map(|&i| match &library.items[i].fields {
            KindFields::Article(a) => a
                .event
                .as_ref()
                .filter(|e| e.start.date >= library.today)
                .map(|e| (e.start, i)),
            _ => None,
        })
        .collect();
    events.sort();
    events
        .into_iter()
        .map(|(start, i)| {
            let place = match &library.items[i].fields {
                KindFields::Article(a) => a
                    .event
                    .as_ref()
                    .and_then(|e| e.place.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            };
            Upcoming {
                title: &shared.summaries[i].title,
                url: &shared.summaries[i].url,
                start: start.to_string(),
                place,
            }
        })
        .collect()
}

#[derive(Serialize)]
pub(crate) struct Pager {
    current: usize,
    total: usize,
    prev_url: String,
    next_url: String,
    pages: Vec<PagerLink>,
}

#[derive(Serialize)]
pub(crate) struct PagerLink {
    /// Page number, 0 for a gap.
    number: usize,
    url: String,
    current: bool,
}

pub(crate) fn column_view(shared: &Shared, d: usize, c: usize) -> ColumnView {
    let config = shared.site.config;
    let column = &config.columns[c];
    let section = shared.site.library.sections.get(&(d, Some(c)));
    ColumnView {
        id: column.id.clone(),
        name: section
            .and_then(|s| s.title.clone())
            .unwrap_or_else(|| column.name.clone()),
        kind: column.kind.en(),
        kind_label: column.kind.zh(),
        url: url_of(&config.base_path, &[&shared.districts[d].id, &column.id]),
        intro_html: section
            .map(|s| markdown::render(&s.body, config.unsafe_html).html)
            .unwrap_or_default(),
    }
}

fn column(shared: &Shared, d: usize, c: usize, sink: &dyn Sink) -> Result<usize, Error> {
    let config = shared.site.config;
    let view = column_view(shared, d, c);
    let district = &shared.districts[d];
    let items: Vec<usize> = column_items(shared, d, c).collect();
    let listing = Listing {
        dir: vec![district.id.clone(), config.columns[c].id.clone()],
        title: format!("{} - {}", view.name, district.name),
        template: "column.html",
        crumbs: vec![
            Link {
                name: district.name.clone(),
                url: district.url.clone(),
            },
            Link {
                name: view.name.clone(),
                url: view.url.clone(),
            },
        ],
        column_name: view.name.clone(),
        column_type: view.kind_label.to_string(),
    };
    paginate(shared, sink, &listing, &items, &|ctx, chunk| {
        ctx.insert_value("district", shared.district_values[d].clone());
        ctx.insert("column", &view);
        let rows: Vec<&Summary> = chunk.iter().map(|&i| &shared.summaries[i]).collect();
        ctx.insert("items", &rows);
    })
}

/// Page numbers shown in a pager: the first, the last and two either side
/// of the current one; `0` marks a gap. Constant size, so pagination stays
/// linear in the number of pages.
fn pager_window(current: usize, total: usize) -> Vec<usize> {
    let mut shown: Vec<usize> = [1, total]
        .into_iter()
        .chain(current.saturating_sub(2)..=current + 2)
        .filter(|&k| k >= 1 && k <= total)
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let mut out = Vec::with_capacity(shown.len() + 2);
    for k in shown {
        if out.last().is_some_and(|&last| last + 1 != k) {
            out.push(0);
        }
        out.push(k);
    }
    out
}

/// A paginated list page: where it lives and how it is titled.
pub(crate) struct Listing {
    /// Path segments of page 1 (unencoded); page n lives at `…/page/n/`.
    pub(crate) dir: Vec<String>,
    /// Page title.
    pub(crate) title: String,
    /// Template rendering one page.
    pub(crate) template: &'static str,
    /// Breadcrumbs after 首页.
    pub(crate) crumbs: Vec<Link>,
    /// `ColumnName` meta tag.
    pub(crate) column_name: String,
    /// `ColumnType` meta tag.
    pub(crate) column_type: String,
}

/// Render `items` in pages of `page_size`, newest first as given; `fill`
/// adds the template's own variables for one page of items.
pub(crate) fn paginate(
    shared: &Shared,
    sink: &dyn Sink,
    listing: &Listing,
    items: &[usize],
    fill: &(dyn Fn(&mut tera::Context, &[usize]) + Sync),
) -> Result<usize, Error> {
    let config = shared.site.config;
    let segments: Vec<&str> = listing.dir.iter().map(String::as_str).collect();
    let first_url = url_of(&config.base_path, &segments);
    let rel_dir = listing.dir.join("/");
    let page_url = |n: usize| {
        if n == 1 {
            first_url.clone()
        } else {
            format!("{first_url}page/{n}/")
        }
    };
    let total = items.len().div_ceil(config.page_size).max(1);
    // Long listings (the catalogue of a big site) are rendered in parallel.
    let one = |n: usize| -> Result<usize, Error> {
        let chunk: Vec<usize> = items
            .iter()
            .skip((n - 1) * config.page_size)
            .take(config.page_size)
            .copied()
            .collect();
        let pager = Pager {
            current: n,
            total,
            prev_url: if n > 1 {
                page_url(n - 1)
            } else {
                String::new()
            },
            next_url: if n < total {
                page_url(n + 1)
            } else {
                String::new()
            },
            pages: pager_window(n, total)
                .into_iter()
                .map(|k| PagerLink {
                    number: k,
                    url: if k == 0 { String::new() } else { page_url(k) },
                    current: k == n,
                })
                .collect(),
        };
        let url_path = page_url(n);
        let page = PageMeta {
            title: listing.title.clone(),
            column_name: listing.column_name.clone(),
            column_type: listing.column_type.clone(),
            ..page_meta(
                shared,
                url_path
                    .strip_prefix(&config.base_path)
                    .unwrap_or(&url_path),
            )
        };
        let mut ctx = context(shared, page, &listing.crumbs);
        ctx.insert("pager", &pager);
        fill(&mut ctx, &chunk);
        let prefix = if rel_dir.is_empty() {
            String::new()
        } else {
            format!("{rel_dir}/")
        };
        let rel = if n == 1 {
            format!("{prefix}index.html")
        } else {
            format!("{prefix}page/{n}/index.html")
        };
        put_page(shared, sink, listing.template, &rel, &ctx)
    };
    (1..=total)
        .into_par_iter()
        .map(one)
        .try_reduce(|| 0, |a, b| Ok(a + b))
}

fn item_page(shared: &Shared, i: usize, sink: &dyn Sink) -> Result<usize, Error> {
    let (config, library) = (shared.site.config, shared.site.library);
    let item = &library.items[i];
    let link = qr::short_link(
        &config.canonical_url,
        &config.canonical_path,
        &item.short_code,
    );
    let drawn = shared
        .site
        .qr
        .draw(&link.encoded, qr::Level::M, true)
        .map_err(Error::Other)?;
    // Both copies show the QR images of the main copy: they are the same code.
    let canonical = canonical_item_url(shared, i);
    let qr_path = &drawn.symbol.svg_path();
    let qr_view = QrView {
        svg: drawn
            .symbol
            .svg(qr_path, 160, &format!("二维码：{}", link.display)),
        short_url: link.display.clone(),
        svg_url: format!("{canonical}qr.svg"),
        png_url: format!("{canonical}qr.png"),
        code: item.short_code.clone(),
    };
    let body = markdown::render(&item.body, config.unsafe_html);
    let inputs = ItemInputs {
        config,
        library,
        summaries: &shared.summaries,
        backlinks: &shared.backlinks,
    };
    let view = item::item_view(&inputs, i, &body, qr_view);
    let district = &shared.districts[item.district];
    add_search_doc(shared, i, &view, crate::search::plain_text(&body.html));
    let column = column_view(shared, item.district, item.column);
    let page = PageMeta {
        title: view.title.clone(),
        url: view.url.clone(),
        permalink: view.permalink.clone(),
        description: if view.summary.is_empty() {
            view.title.clone()
        } else {
            view.summary.clone()
        },
        keywords: view.keywords.join(","),
        column_name: column.name.clone(),
        column_type: column.kind_label.to_string(),
        pub_date: view.date.clone(),
        source: item_source(item, district),
    };
    let crumbs = item_crumbs(district, &column, &view);
    let mut ctx = context(shared, page, &crumbs);
    ctx.insert_value("district", shared.district_values[item.district].clone());
    ctx.insert("column", &column);
    // Serialised once for the item page and its print page.
    let item_value = tera::Value::from_serializable(&view);
    ctx.insert_value("item", item_value.clone());
    let dir = format!(
        "{}/{}/{}",
        district.id, config.columns[item.column].id, item.slug
    );
    put_page(
        shared,
        sink,
        "item.html",
        &format!("{dir}/index.html"),
        &ctx,
    )?;
    if item.kind() == crate::content::words::Kind::Service {
        disclosure::print_page(shared, sink, i, &view, item_value, &link)?;
    }
    // Both copies show the main copy's QR images and attachments.
    sink.put_main(
        &format!("{dir}/qr.svg"),
        drawn.symbol.svg(qr_path, 400, &link.display).as_bytes(),
    )?;
    sink.put_main(&format!("{dir}/qr.png"), &drawn.png)?;
    copy_attachments(shared, item, &dir, sink)?;
    item_redirects(shared, sink, i, &view)?;
    Ok(1)
}

/// Breadcrumbs of an item page: district, column, item.
pub(crate) fn item_crumbs(
    district: &DistrictView,
    column: &ColumnView,
    view: &item::ItemView,
) -> Vec<Link> {
    [
        (&district.name, &district.url),
        (&column.name, &column.url),
        (&view.title, &view.url),
    ]
    .into_iter()
    .map(|(name, url)| Link {
        name: name.clone(),
        url: url.clone(),
    })
    .collect()
}

/// Hand an item to the search index.
fn add_search_doc(shared: &Shared, i: usize, view: &item::ItemView, text: String) {
    let doc = search_doc(shared, i, [&view.title, &view.url, &view.date], text);
    if let Ok(mut docs) = shared.search_docs.lock() {
        docs.push(doc);
    }
}

/// The search document of an item whose page this run does not render:
/// the same as [`item_page`] hands in (its summary has the page's title,
/// URL and date).
fn unrendered_search_doc(shared: &Shared, i: usize) -> crate::search::SearchDoc {
    let (config, library) = (shared.site.config, shared.site.library);
    let body = markdown::render(&library.items[i].body, config.unsafe_html);
    let summary = &shared.summaries[i];
    let shown = [&summary.title, &summary.url, &summary.date];
    search_doc(shared, i, shown, crate::search::plain_text(&body.html))
}

/// An item's search document; `shown` is its page's title, URL and date.
fn search_doc(
    shared: &Shared,
    i: usize,
    shown: [&String; 3],
    text: String,
) -> crate::search::SearchDoc {
    let item = &shared.site.library.items[i];
    let summary = &shared.summaries[i];
    let [title, url, date] = shown;
    crate::search::SearchDoc {
        id: item.id.clone(),
        title: title.clone(),
        url: url
            .strip_prefix(&shared.site.config.base_path)
            .unwrap_or(url)
            .trim_start_matches('/')
            .to_string(),
        district: shared.districts[item.district].id.clone(),
        district_name: summary.district_name.clone(),
        column_name: summary.column_name.clone(),
        kind: item.kind().en().to_string(),
        kind_label: item.kind().zh().to_string(),
        date: date.clone(),
        doc_number: summary.doc_number.clone(),
        index_no: item.index_no.clone(),
        text,
    }
}

/// Write the search index and, beside it, the open-data export of the same
/// text (`api/search.jsonl.gz`, one gzip file, in the main copy only).
fn write_index(sink: &dyn Sink, docs: Vec<&crate::search::SearchDoc>) -> Result<(), Error> {
    // Each file is written as soon as it is made (the index of a large
    // site is tens of megabytes); writing is not search time.
    let started = std::time::Instant::now();
    let mut writing = std::time::Duration::ZERO;
    let mut written: Result<(), Error> = Ok(());
    let (_, export) = rayon::join(
        || {
            crate::search::build_index_into(
                docs.clone(),
                crate::hant::to_simplified_char,
                &mut |rel, bytes| {
                    let put = std::time::Instant::now();
                    if written.is_ok() {
                        written = sink.put(&rel, &bytes);
                    }
                    writing += put.elapsed();
                },
            )
        },
        || extra::search_export(&docs),
    );
    crate::timings::add(
        crate::timings::Span::Search,
        started.elapsed().saturating_sub(writing),
    );
    written?;
    sink.put_main(crate::portal::contract::SEARCH_FILE, &export)
}

/// The search index and the `/search/` page.
fn search_page(
    shared: &Shared,
    sink: &dyn Sink,
    selection: Selection,
    tracked: Option<&std::sync::Mutex<Tracked>>,
) -> Result<usize, Error> {
    let build = || {
        let fresh = shared
            .search_docs
            .lock()
            .map(|mut d| std::mem::take(&mut *d))
            .unwrap_or_default();
        let library = shared.site.library;
        // Documents of items not rendered in this run come from the run
        // before when it kept them (serve), else from their Markdown.
        let rendered: std::collections::HashSet<&str> =
            fresh.iter().map(|d| d.id.as_str()).collect();
        let (earlier, missing): (Vec<_>, Vec<_>) = library
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.published && !rendered.contains(i.id.as_str()))
            .map(|(index, i)| (index, selection.docs.and_then(|d| d.get(&i.id))))
            .partition(|(_, doc)| doc.is_some());
        let earlier: Vec<&crate::search::SearchDoc> =
            earlier.into_iter().filter_map(|(_, doc)| doc).collect();
        let missing: Vec<crate::search::SearchDoc> = missing
            .into_par_iter()
            .map(|(index, _)| unrendered_search_doc(shared, index))
            .collect();
        let written = write_index(sink, fresh.iter().chain(earlier).chain(&missing).collect());
        if let Some(tracked) = tracked.filter(|_| selection.keep_docs) {
            tracked
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .docs
                .extend(fresh.into_iter().map(|d| (d.id.clone(), d)));
        }
        written
    };
    build()?;
    let page = PageMeta {
        title: "站内搜索".to_string(),
        ..page_meta(shared, "/search/")
    };
    let crumbs = [Link {
        name: "站内搜索".to_string(),
        url: format!("{}/search/", shared.site.config.base_path),
    }];
    let mut ctx = context(shared, page, &crumbs);
    let districts: Vec<serde_json::Value> = shared
        .districts
        .iter()
        .map(|d| serde_json::json!({ "id": d.id, "name": d.name }))
        .collect();
    let kinds: Vec<serde_json::Value> = crate::content::words::Kind::ALL
        .iter()
        .map(|k| serde_json::json!({ "kind": k.en(), "label": k.zh() }))
        .collect();
    ctx.insert("districts", &districts);
    ctx.insert("kinds", &kinds);
    put_page(shared, sink, "search.html", "search/index.html", &ctx)
}

/// Root-relative URL of an item in the main (Simplified) copy.
fn canonical_item_url(shared: &Shared, i: usize) -> String {
    let config = shared.site.config;
    let url = &shared.summaries[i].url;
    format!(
        "{}{}",
        config.canonical_path,
        url.strip_prefix(&config.base_path).unwrap_or(url)
    )
}

/// The short-link redirects (main copy only) and the redirects from old URLs.
fn item_redirects(
    shared: &Shared,
    sink: &dyn Sink,
    i: usize,
    view: &item::ItemView,
) -> Result<(), Error> {
    let item = &shared.site.library.items[i];
    let target = view.permalink.clone();
    {
        // Short links exist once, in the main copy.
        let short = render_redirect(
            shared,
            &format!("/q/{}/", item.short_code),
            &target,
            &view.title,
        )?;
        sink.put_main(
            &format!("q/{}/index.html", item.short_code),
            short.as_bytes(),
        )?;
        // The QR symbol encodes the upper-case form of the link (alphanumeric mode).
        sink.put_main(
            &format!("Q/{}/index.html", item.short_code),
            short.as_bytes(),
        )?;
    }
    for alias in &item.common.aliases {
        if let Some(file) = crate::content::library::alias_file(&alias.value) {
            redirect(shared, sink, &file, &target, &view.title)?;
        }
    }
    Ok(())
}

fn item_source(item: &crate::content::library::Item, district: &DistrictView) -> String {
    use crate::content::front::KindFields;
    match &item.fields {
        KindFields::Policy(p) => p.issuer.clone(),
        KindFields::Article(a) => a.source.clone().unwrap_or_else(|| district.name.clone()),
        KindFields::Service(s) => s
            .department
            .clone()
            .unwrap_or_else(|| district.name.clone()),
        _ => district.name.clone(),
    }
}

/// Copy every file of a bundle folder beside the item page (attachments
/// and images the body refers to), except Markdown sources.
fn copy_attachments(
    shared: &Shared,
    item: &crate::content::library::Item,
    dir: &str,
    sink: &dyn Sink,
) -> Result<(), Error> {
    let Some(bundle) = &item.bundle_dir else {
        return Ok(());
    };
    let mut diags = Vec::new();
    for (rel, bytes) in crate::output::read_tree(shared.site.root, bundle, &mut diags) {
        if !rel.ends_with(".md") {
            sink.put_raw(&format!("{dir}/{rel}"), &bytes)?;
        }
    }
    if diags.is_empty() {
        Ok(())
    } else {
        Err(Error::Content(diags))
    }
}

/// A redirect page at the output file `file` leading to `target`.
fn redirect(
    shared: &Shared,
    sink: &dyn Sink,
    file: &str,
    target: &str,
    title: &str,
) -> Result<usize, Error> {
    let url_path = format!("/{}", file.strip_suffix("index.html").unwrap_or(file));
    let html = render_redirect(shared, &url_path, target, title)?;
    sink.put(file, html.as_bytes())?;
    Ok(1)
}

fn render_redirect(
    shared: &Shared,
    url_path: &str,
    target: &str,
    title: &str,
) -> Result<String, Error> {
    let page = PageMeta {
        title: title.to_string(),
        ..page_meta(shared, url_path)
    };
    let mut ctx = context(shared, page, &[]);
    ctx.insert("target", target);
    ctx.insert("target_title", title);
    shared
        .site
        .theme
        .render("redirect.html", &ctx)
        .map_err(|d| Error::Content(vec![d]))
}

/// Diagnostics from rendering, if the error carries them.
pub fn diagnostics(error: &Error) -> Option<&[Diagnostic]> {
    match error {
        Error::Content(d) => Some(d),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::pager_window;

    #[test]
    fn pager_window_is_small_and_marks_gaps() {
        assert_eq!(pager_window(1, 1), vec![1]);
        assert_eq!(pager_window(1, 4), vec![1, 2, 3, 4]);
        assert_eq!(pager_window(10, 100), vec![1, 0, 8, 9, 10, 11, 12, 0, 100]);
        assert_eq!(pager_window(100, 100), vec![1, 0, 98, 99, 100]);
        assert_eq!(pager_window(2, 5000), vec![1, 2, 3, 4, 0, 5000]);
    }
}
