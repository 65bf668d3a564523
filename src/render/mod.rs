//! Rendering: every page of the site built from the library and the theme,
//! in parallel and in memory, handed to a [`Sink`] (the staging directory
//! for `build`, a counter for `check`).

pub mod extra;
pub mod item;
pub mod theme;
pub mod views;

use crate::config::Config;
use crate::content::library::Library;
use crate::diag::{Diagnostic, Error};
use crate::markdown;
use crate::output::Sink;
use crate::qr;
use item::{ItemInputs, QrView};
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
pub struct Site<'a> {
    /// Site root (for static files and attachments).
    pub root: &'a Path,
    /// Configuration.
    pub config: &'a Config,
    /// Validated content.
    pub library: &'a Library,
    /// Templates and theme files.
    pub theme: &'a Theme,
}

/// Precomputed data shared by all pages.
struct Shared<'a> {
    site: &'a Site<'a>,
    summaries: Vec<Summary>,
    backlinks: Vec<Vec<(&'static str, usize)>>,
    /// Published item indices, newest first.
    newest: Vec<usize>,
    base: tera::Context,
    districts: Vec<DistrictView>,
}

/// One unit of rendering work.
enum Job {
    Home,
    NotFound,
    District(usize),
    Column(usize, usize),
    Item(usize),
}

/// Render the whole site into `sink`. Returns the number of HTML pages.
pub fn render_site(site: &Site, sink: &dyn Sink) -> Result<usize, Error> {
    let shared = prepare(site);
    let mut jobs = vec![Job::Home, Job::NotFound];
    for d in 0..site.library.districts.len() {
        jobs.push(Job::District(d));
        jobs.extend((0..site.config.columns.len()).map(|c| Job::Column(d, c)));
    }
    jobs.extend(
        (0..site.library.items.len())
            .filter(|&i| site.library.items[i].published)
            .map(Job::Item),
    );
    let results: Vec<Result<usize, Error>> = jobs
        .par_iter()
        .map(|job| run_job(&shared, job, sink))
        .collect();
    let mut pages = 0;
    let mut diags = Vec::new();
    for result in results {
        match result {
            Ok(n) => pages += n,
            Err(Error::Content(d)) => diags.extend(d),
            Err(other) => return Err(other),
        }
    }
    extra::write_extras(site, &shared.summaries, &shared.newest, sink)?;
    for (rel, bytes) in &site.theme.statics {
        sink.put(rel, bytes)?;
    }
    let mut static_diags = Vec::new();
    for (rel, bytes) in
        crate::output::read_tree(site.root, &site.root.join("static"), &mut static_diags)
    {
        sink.put(&rel, &bytes)?;
    }
    diags.extend(static_diags);
    if diags.is_empty() {
        Ok(pages)
    } else {
        Err(Error::Content(diags))
    }
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
    base.insert("search_url", "");
    Shared {
        site,
        summaries,
        backlinks,
        newest,
        base,
        districts,
    }
}

fn run_job(shared: &Shared, job: &Job, sink: &dyn Sink) -> Result<usize, Error> {
    match job {
        Job::Home => home(shared, sink),
        Job::NotFound => {
            let page = PageMeta {
                title: "页面未找到".to_string(),
                ..page_meta(shared, "/")
            };
            let ctx = context(shared, page, &[]);
            put_page(shared, sink, "404.html", "404.html", &ctx)
        }
        Job::District(d) => district(shared, *d, sink),
        Job::Column(d, c) => column(shared, *d, *c, sink),
        Job::Item(i) => item_page(shared, *i, sink),
    }
}

fn page_meta(shared: &Shared, url_path: &str) -> PageMeta {
    let config = shared.site.config;
    PageMeta {
        title: config.title.clone(),
        url: format!("{}{url_path}", config.base_path),
        permalink: format!("{}{url_path}", config.base_url),
        description: config.title.clone(),
        ..PageMeta::default()
    }
}

fn context(shared: &Shared, page: PageMeta, crumbs: &[Link]) -> tera::Context {
    let mut ctx = shared.base.clone();
    let mut breadcrumbs = vec![Link {
        name: "首页".to_string(),
        url: format!("{}/", shared.site.config.base_path),
    }];
    breadcrumbs.extend_from_slice(crumbs);
    ctx.insert("page", &page);
    ctx.insert("breadcrumbs", &breadcrumbs);
    ctx
}

/// Render `template` and store it at `rel`; a template error becomes a diagnostic.
fn put_page(
    shared: &Shared,
    sink: &dyn Sink,
    template: &str,
    rel: &str,
    ctx: &tera::Context,
) -> Result<usize, Error> {
    let html = shared
        .site
        .theme
        .render(template, ctx)
        .map_err(|d| Error::Content(vec![d]))?;
    sink.put(rel, html.as_bytes())?;
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
    put_page(
        shared,
        sink,
        "district.html",
        &format!("{}/index.html", view.id),
        &ctx,
    )
}

#[derive(Serialize)]
struct Pager {
    current: usize,
    total: usize,
    prev_url: String,
    next_url: String,
    pages: Vec<PagerLink>,
}

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
}

fn column_view(shared: &Shared, d: usize, c: usize) -> ColumnView {
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
    let total = items.len().div_ceil(config.page_size).max(1);
    let page_url = |n: usize| {
        if n == 1 {
            view.url.clone()
        } else {
            format!("{}page/{n}/", view.url)
        }
    };
    let mut written = 0;
    for n in 1..=total {
        let chunk: Vec<&Summary> = items
            .iter()
            .skip((n - 1) * config.page_size)
            .take(config.page_size)
            .map(|&i| &shared.summaries[i])
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
            pages: (1..=total)
                .map(|k| PagerLink {
                    number: k,
                    url: page_url(k),
                    current: k == n,
                })
                .collect(),
        };
        let rel_dir = format!("{}/{}", district.id, config.columns[c].id);
        let url_path = page_url(n);
        let page = PageMeta {
            title: format!("{} - {}", view.name, district.name),
            column_name: view.name.clone(),
            column_type: view.kind_label.to_string(),
            ..page_meta(
                shared,
                url_path
                    .strip_prefix(&config.base_path)
                    .unwrap_or(&url_path),
            )
        };
        let crumbs = [
            Link {
                name: district.name.clone(),
                url: district.url.clone(),
            },
            Link {
                name: view.name.clone(),
                url: view.url.clone(),
            },
        ];
        let mut ctx = context(shared, page, &crumbs);
        ctx.insert("district", district);
        ctx.insert("column", &view);
        ctx.insert("items", &chunk);
        ctx.insert("pager", &pager);
        let rel = if n == 1 {
            format!("{rel_dir}/index.html")
        } else {
            format!("{rel_dir}/page/{n}/index.html")
        };
        written += put_page(shared, sink, "column.html", &rel, &ctx)?;
    }
    Ok(written)
}

fn item_page(shared: &Shared, i: usize, sink: &dyn Sink) -> Result<usize, Error> {
    let (config, library) = (shared.site.config, shared.site.library);
    let item = &library.items[i];
    let summary = &shared.summaries[i];
    let short_url = format!("{}/q/{}/", config.base_url, item.short_code);
    let symbol = qr::Symbol::encode(&short_url, qr::Level::M).map_err(Error::Other)?;
    let qr_path = symbol.svg_path();
    let qr_view = QrView {
        svg: symbol.svg(&qr_path, 160, &format!("二维码：{short_url}")),
        short_url: short_url.clone(),
        svg_url: format!("{}qr.svg", summary.url),
        png_url: format!("{}qr.png", summary.url),
        code: item.short_code.clone(),
    };
    let body = markdown::render(&item.body, config.unsafe_html);
    let inputs = ItemInputs {
        config,
        library,
        summaries: &shared.summaries,
        backlinks: &shared.backlinks,
    };
    let view = item::item_view(&inputs, i, body, qr_view);
    let district = &shared.districts[item.district];
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
    let crumbs = [
        Link {
            name: district.name.clone(),
            url: district.url.clone(),
        },
        Link {
            name: column.name.clone(),
            url: column.url.clone(),
        },
        Link {
            name: view.title.clone(),
            url: view.url.clone(),
        },
    ];
    let mut ctx = context(shared, page, &crumbs);
    ctx.insert("district", district);
    ctx.insert("column", &column);
    ctx.insert("item", &view);
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
    sink.put(
        &format!("{dir}/qr.svg"),
        symbol.svg(&qr_path, 400, &short_url).as_bytes(),
    )?;
    sink.put(&format!("{dir}/qr.png"), &symbol.png(600))?;
    copy_attachments(item, &dir, sink)?;
    let target = view.permalink.clone();
    redirect(
        shared,
        sink,
        &format!("q/{}/index.html", item.short_code),
        &target,
        &view.title,
    )?;
    for alias in &item.common.aliases {
        if let Some(file) = crate::content::library::alias_file(&alias.value) {
            redirect(shared, sink, &file, &target, &view.title)?;
        }
    }
    Ok(1)
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

fn copy_attachments(
    item: &crate::content::library::Item,
    dir: &str,
    sink: &dyn Sink,
) -> Result<(), Error> {
    let Some(bundle) = &item.bundle_dir else {
        return Ok(());
    };
    for attachment in &item.common.attachments {
        let bytes = crate::fsutil::read(&bundle.join(&attachment.file.value))?;
        sink.put(&format!("{dir}/{}", attachment.file.value), &bytes)?;
    }
    Ok(())
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
    let page = PageMeta {
        title: title.to_string(),
        ..page_meta(shared, &url_path)
    };
    let mut ctx = context(shared, page, &[]);
    ctx.insert("target", target);
    ctx.insert("target_title", title);
    put_page(shared, sink, "redirect.html", file, &ctx)
}

/// Diagnostics from rendering, if the error carries them.
pub fn diagnostics(error: &Error) -> Option<&[Diagnostic]> {
    match error {
        Error::Content(d) => Some(d),
        _ => None,
    }
}
