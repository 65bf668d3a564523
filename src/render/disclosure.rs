//! The disclosure pages (DESIGN §5): the 政府信息公开目录 (catalogue by
//! district, topic and year), the 事项目录 of service guides, printable
//! 一次性告知单 and QR sheets, /stats/ with the 年度报告 figures, and the
//! per-district index of FAQ questions.

use super::item::{ItemView, is_expired};
use super::views::{Link, PageMeta, encode_segment, url_of};
use super::{Listing, Shared, context, page_meta, paginate, put_page};
use crate::content::annual_report::{POLICY_FIGURES_RULE, PolicyRecord, policy_figures};
use crate::content::front::KindFields;
use crate::content::library::Item;
use crate::content::words::{ItemType, Kind, Level, Validity};
use crate::date::Date;
use crate::diag::Error;
use crate::output::Sink;
use crate::qr;
use serde::Serialize;
use std::collections::BTreeMap;

/// Folder of the catalogue, site-wide and under each district.
pub const CATALOG: &str = "catalog";
/// Folder of the site-wide service directory.
pub const SERVICES: &str = "services";
/// Folder of a district's service directory (its `services` name is a column's).
pub const DISTRICT_SERVICES: &str = "service-catalog";
/// Folder of a district's FAQ index.
pub const QUESTIONS: &str = "questions";
/// Folder of the statistics page.
pub const STATS: &str = "stats";

/// Whether an item is a disclosure item (listed in the catalogue).
pub fn is_disclosure(kind: Kind) -> bool {
    matches!(kind, Kind::Policy | Kind::Interpretation | Kind::Article)
}

/// A catalogue row.
#[derive(Serialize)]
struct CatalogRow<'a> {
    title: &'a str,
    url: &'a str,
    index_no: &'a str,
    doc_number: &'a str,
    issuer: String,
    topic: &'a str,
    date: &'a str,
    validity: &'static str,
    kind_label: &'static str,
    district_name: &'a str,
    withdrawn: bool,
}

/// A facet link (a year, a topic, a district) with its count.
#[derive(Serialize, Clone)]
struct Facet {
    label: String,
    url: String,
    count: usize,
    current: bool,
}

fn validity_label(item: &Item, today: Date) -> &'static str {
    match &item.fields {
        KindFields::Policy(p) if is_expired(p, today) => match p.validity {
            Some(v @ (Validity::Repealed | Validity::Expired)) => v.zh(),
            _ => "失效",
        },
        KindFields::Policy(p) => p.validity.map_or("有效", Validity::zh),
        _ => "",
    }
}

fn catalog_row<'a>(shared: &'a Shared, i: usize) -> CatalogRow<'a> {
    let item = &shared.site.library.items[i];
    let summary = &shared.summaries[i];
    let issuer = match &item.fields {
        KindFields::Policy(p) => p.issuer.clone(),
        KindFields::Article(a) => a.source.clone().unwrap_or_default(),
        _ => String::new(),
    };
    CatalogRow {
        title: &summary.title,
        url: &summary.url,
        index_no: &summary.index_no,
        doc_number: &summary.doc_number,
        issuer,
        topic: item.common.topic.as_deref().unwrap_or(""),
        date: &summary.date,
        validity: validity_label(item, shared.site.library.today),
        kind_label: summary.kind_label,
        district_name: &summary.district_name,
        withdrawn: summary.withdrawn,
    }
}

/// A topic or other free text as one safe path segment.
fn segment(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c == '/'
                || c == '\\'
                || c == '?'
                || c == '#'
                || c == '%'
                || c.is_control()
                || c.is_whitespace()
            {
                '-'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches('.').to_string();
    if cleaned.is_empty() {
        "-".to_string()
    } else {
        cleaned
    }
}

/// Where a listing lives: the site (`None`) or a district.
fn scope_dir(shared: &Shared, district: Option<usize>, folder: &str) -> Vec<String> {
    match district {
        Some(d) => vec![shared.districts[d].id.clone(), folder.to_string()],
        None => vec![folder.to_string()],
    }
}

fn scope_name(shared: &Shared, district: Option<usize>) -> String {
    district.map_or_else(
        || shared.site.config.title.clone(),
        |d| shared.districts[d].name.clone(),
    )
}

fn scope_crumbs(shared: &Shared, district: Option<usize>, name: &str, dir: &[String]) -> Vec<Link> {
    let mut crumbs = Vec::new();
    if let Some(d) = district {
        crumbs.push(Link {
            name: shared.districts[d].name.clone(),
            url: shared.districts[d].url.clone(),
        });
    }
    let segments: Vec<&str> = dir.iter().map(String::as_str).collect();
    crumbs.push(Link {
        name: name.to_string(),
        url: url_of(&shared.site.config.base_path, &segments),
    });
    crumbs
}

/// Published items of a scope (the site or one district) whose kind passes
/// `wanted`, newest first.
fn scope_items(
    shared: &Shared,
    district: Option<usize>,
    wanted: impl Fn(Kind) -> bool,
) -> Vec<usize> {
    let items = &shared.site.library.items;
    shared
        .newest
        .iter()
        .copied()
        .filter(|&i| wanted(items[i].kind()) && district.is_none_or(|d| items[i].district == d))
        .collect()
}

/// The catalogue of a scope: all disclosure items, then one listing per year
/// and per topic. Returns the pages written.
pub(crate) fn catalog(
    shared: &Shared,
    sink: &dyn Sink,
    district: Option<usize>,
) -> Result<usize, Error> {
    let library = shared.site.library;
    let items = scope_items(shared, district, is_disclosure);
    let dir = scope_dir(shared, district, CATALOG);
    let base = url_of(
        &shared.site.config.base_path,
        &dir.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let mut years: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
    let mut topics: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for &i in &items {
        let item = &library.items[i];
        years.entry(item.common.date.year).or_default().push(i);
        topics
            .entry(
                item.common
                    .topic
                    .clone()
                    .unwrap_or_else(|| "其他".to_string()),
            )
            .or_default()
            .push(i);
    }
    let year_facets: Vec<Facet> = years
        .iter()
        .rev()
        .map(|(y, list)| Facet {
            label: format!("{y}年"),
            url: format!("{base}year/{y}/"),
            count: list.len(),
            current: false,
        })
        .collect();
    let topic_facets: Vec<Facet> = topics
        .iter()
        .map(|(t, list)| Facet {
            label: t.clone(),
            url: format!("{base}topic/{}/", encode_segment(&segment(t))),
            count: list.len(),
            current: false,
        })
        .collect();
    let district_facets = district_facets(shared, district);
    let mut written = 0;
    let mut views: Vec<(Vec<String>, String, &Vec<usize>)> =
        vec![(dir.clone(), String::new(), &items)];
    for (y, list) in &years {
        views.push((
            [dir.clone(), vec!["year".into(), y.to_string()]].concat(),
            format!("{y}年"),
            list,
        ));
    }
    for (t, list) in &topics {
        views.push((
            [dir.clone(), vec!["topic".into(), segment(t)]].concat(),
            format!("主题：{t}"),
            list,
        ));
    }
    let name = scope_name(shared, district);
    for (view_dir, filter, list) in views {
        let mark = |facets: &[Facet]| -> Vec<Facet> {
            facets
                .iter()
                .cloned()
                .map(|mut f| {
                    f.current = f.label == filter || format!("主题：{}", f.label) == filter;
                    f
                })
                .collect()
        };
        let (years_marked, topics_marked) = (mark(&year_facets), mark(&topic_facets));
        let listing = Listing {
            title: format!(
                "{name}政府信息公开目录{}",
                if filter.is_empty() {
                    String::new()
                } else {
                    format!(" - {filter}")
                }
            ),
            crumbs: scope_crumbs(shared, district, "政府信息公开目录", &dir),
            dir: view_dir,
            template: "catalog.html",
            column_name: "政府信息公开目录".to_string(),
            column_type: "目录".to_string(),
        };
        written += paginate(shared, sink, &listing, list, &|ctx, chunk| {
            let rows: Vec<CatalogRow> = chunk.iter().map(|&i| catalog_row(shared, i)).collect();
            ctx.insert("rows", &rows);
            ctx.insert("catalog", &serde_json::json!({
                "title": format!("{name}政府信息公开目录"), "scope_name": name, "home_url": base,
                "filter_label": filter, "total": list.len(), "years": years_marked, "topics": topics_marked,
                "districts": district_facets,
            }));
        })?;
    }
    Ok(written)
}

fn district_facets(shared: &Shared, district: Option<usize>) -> Vec<Facet> {
    if district.is_some() {
        return Vec::new();
    }
    let library = shared.site.library;
    shared
        .districts
        .iter()
        .enumerate()
        .map(|(d, view)| Facet {
            label: view.name.clone(),
            url: url_of(&shared.site.config.base_path, &[&view.id, CATALOG]),
            count: shared
                .newest
                .iter()
                .filter(|&&i| {
                    library.items[i].district == d && is_disclosure(library.items[i].kind())
                })
                .count(),
            current: false,
        })
        .collect()
}

/// Current (not withdrawn) services counted by type: "80 项：15 行政许可、…".
fn type_breakdown(items: &[&Item]) -> String {
    let current: Vec<&&Item> = items
        .iter()
        .filter(|i| i.common.withdrawn.is_none())
        .collect();
    let mut counts: BTreeMap<ItemType, usize> = BTreeMap::new();
    for item in &current {
        if let KindFields::Service(s) = &item.fields {
            *counts.entry(s.item_type).or_default() += 1;
        }
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(t, n)| format!("{n} {}", t.zh()))
        .collect();
    if parts.is_empty() {
        format!("{} 项", current.len())
    } else {
        format!("{} 项：{}", current.len(), parts.join("、"))
    }
}

#[derive(Serialize)]
struct ServiceRow<'a> {
    title: &'a str,
    url: &'a str,
    print_url: String,
    item_type: &'static str,
    levels: String,
    department: &'a str,
    promised: String,
    district_name: &'a str,
    withdrawn: bool,
}

fn service_row<'a>(shared: &'a Shared, i: usize) -> Option<ServiceRow<'a>> {
    let KindFields::Service(s) = &shared.site.library.items[i].fields else {
        return None;
    };
    let summary = &shared.summaries[i];
    Some(ServiceRow {
        title: &summary.title,
        url: &summary.url,
        print_url: format!("{}print/", summary.url),
        item_type: s.item_type.zh(),
        levels: s
            .levels
            .iter()
            .map(|l| l.zh())
            .collect::<Vec<_>>()
            .join("、"),
        department: s.department.as_deref().unwrap_or(""),
        promised: s
            .promised_days
            .map(|d| {
                if d == 0 {
                    "即办".to_string()
                } else {
                    format!("{d}个工作日")
                }
            })
            .unwrap_or_default(),
        district_name: &summary.district_name,
        withdrawn: summary.withdrawn,
    })
}

/// The service directory of a scope: an overview with counts and 一件事
/// bundles, and one page per 事项类型 and per 办理层级.
pub(crate) fn service_directory(
    shared: &Shared,
    sink: &dyn Sink,
    district: Option<usize>,
) -> Result<usize, Error> {
    let library = shared.site.library;
    let services = scope_items(shared, district, |kind| kind == Kind::Service);
    let folder = if district.is_some() {
        DISTRICT_SERVICES
    } else {
        SERVICES
    };
    let dir = scope_dir(shared, district, folder);
    let base = url_of(
        &shared.site.config.base_path,
        &dir.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let mut groups: Vec<(Vec<String>, String, Vec<usize>)> = Vec::new();
    for t in ItemType::ALL {
        let list: Vec<usize> = services.iter().copied().filter(|&i| matches!(&library.items[i].fields, KindFields::Service(s) if s.item_type == *t)).collect();
        if !list.is_empty() {
            groups.push((vec!["type".into(), t.en().into()], t.zh().to_string(), list));
        }
    }
    for l in Level::ALL {
        let list: Vec<usize> = services.iter().copied().filter(|&i| matches!(&library.items[i].fields, KindFields::Service(s) if s.levels.contains(l))).collect();
        if !list.is_empty() {
            groups.push((
                vec!["level".into(), l.en().into()],
                format!("{}级", l.zh()),
                list,
            ));
        }
    }
    let facet = |(path, label, list): &(Vec<String>, String, Vec<usize>)| {
        let items: Vec<&Item> = list.iter().map(|&i| &library.items[i]).collect();
        serde_json::json!({ "label": label, "url": format!("{base}{}/", path.iter().map(|s| encode_segment(s)).collect::<Vec<_>>().join("/")),
            "count": items.iter().filter(|i| i.common.withdrawn.is_none()).count(), "breakdown": type_breakdown(&items), "kind": path[0] })
    };
    let facets: Vec<serde_json::Value> = groups.iter().map(facet).collect();
    let all_items: Vec<&Item> = services.iter().map(|&i| &library.items[i]).collect();
    let name = scope_name(shared, district);
    let directory = serde_json::json!({
        "title": format!("{name}政务服务事项目录"), "scope_name": name, "home_url": base,
        "summary_line": type_breakdown(&all_items), "groups": facets, "bundles": bundles(shared, &services),
        "districts": if district.is_none() { district_lines(shared) } else { Vec::new() },
    });
    let crumbs = scope_crumbs(shared, district, "事项目录", &dir);
    let mut written = directory_page(shared, sink, (&dir, &crumbs), &directory, None, &services)?;
    for (path, label, list) in &groups {
        let group_dir = [dir.clone(), path.clone()].concat();
        let items: Vec<&Item> = list.iter().map(|&i| &library.items[i]).collect();
        let group = serde_json::json!({ "label": label, "breakdown": type_breakdown(&items) });
        written += directory_page(
            shared,
            sink,
            (&group_dir, &crumbs),
            &directory,
            Some(&group),
            list,
        )?;
    }
    Ok(written)
}

fn directory_page(
    shared: &Shared,
    sink: &dyn Sink,
    (dir, crumbs): (&[String], &[Link]),
    directory: &serde_json::Value,
    group: Option<&serde_json::Value>,
    list: &[usize],
) -> Result<usize, Error> {
    let title = directory["title"].as_str().unwrap_or_default().to_string();
    let listing = Listing {
        dir: dir.to_vec(),
        title: group.map_or(title.clone(), |g| {
            format!("{title} - {}", g["label"].as_str().unwrap_or_default())
        }),
        template: "services.html",
        crumbs: crumbs.to_vec(),
        column_name: "事项目录".to_string(),
        column_type: "办事指南".to_string(),
    };
    paginate(shared, sink, &listing, list, &|ctx, chunk| {
        let rows: Vec<ServiceRow> = chunk
            .iter()
            .filter_map(|&i| service_row(shared, i))
            .collect();
        ctx.insert("rows", &rows);
        ctx.insert("directory", directory);
        ctx.insert("group", &group);
    })
}

fn bundles(shared: &Shared, services: &[usize]) -> Vec<serde_json::Value> {
    let library = shared.site.library;
    services
        .iter()
        .filter(|&&i| library.items[i].links.iter().any(|(f, _)| *f == "bundle"))
        .map(|&i| {
            let members: Vec<serde_json::Value> = library.items[i]
                .links
                .iter()
                .filter(|(f, t)| *f == "bundle" && library.items[*t].published)
                .map(|(_, t)| serde_json::json!({ "title": shared.summaries[*t].title, "url": shared.summaries[*t].url }))
                .collect();
            serde_json::json!({ "title": shared.summaries[i].title, "url": shared.summaries[i].url,
                "print_url": format!("{}print/", shared.summaries[i].url), "members": members })
        })
        .collect()
}

fn district_lines(shared: &Shared) -> Vec<serde_json::Value> {
    let library = shared.site.library;
    shared
        .districts
        .iter()
        .enumerate()
        .map(|(d, view)| {
            let items: Vec<&Item> = shared.newest.iter().map(|&i| &library.items[i]).filter(|i| i.district == d && i.kind() == Kind::Service).collect();
            serde_json::json!({ "name": view.name, "url": url_of(&shared.site.config.base_path, &[&view.id, DISTRICT_SERVICES]), "summary_line": type_breakdown(&items) })
        })
        .collect()
}

/// The printable 一次性告知单 of a service at `<item>/print/`.
pub(crate) fn print_page(
    shared: &Shared,
    sink: &dyn Sink,
    i: usize,
    view: &ItemView,
    item_value: tera::Value,
    link: &qr::ShortLink,
) -> Result<usize, Error> {
    let item = &shared.site.library.items[i];
    let drawn = shared
        .site
        .qr
        .draw(&link.encoded, qr::Level::Q, false)
        .map_err(Error::Other)?;
    let svg = drawn.symbol.svg(
        &drawn.symbol.svg_path(),
        220,
        &format!("二维码：{}", link.display),
    );
    let district = &shared.districts[item.district];
    let column = super::column_view(shared, item.district, item.column);
    let url = format!("{}print/", view.url);
    let page = PageMeta {
        title: format!("{} - 一次性告知单", view.title),
        column_name: column.name.clone(),
        column_type: column.kind_label.to_string(),
        pub_date: view.date.clone(),
        ..page_meta(
            shared,
            url.strip_prefix(&shared.site.config.base_path)
                .unwrap_or(&url),
        )
    };
    let mut crumbs = super::item_crumbs(district, &column, view);
    crumbs.push(Link {
        name: "一次性告知单".to_string(),
        url: url.clone(),
    });
    let mut ctx = context(shared, page, &crumbs);
    ctx.insert_value("district", shared.district_values[item.district].clone());
    ctx.insert("column", &column);
    ctx.insert_value("item", item_value);
    ctx.insert(
        "print",
        &serde_json::json!({ "qr_svg": svg, "short_url": link.display }),
    );
    let rel = format!(
        "{}/{}/{}/print/index.html",
        district.id, shared.site.config.columns[item.column].id, item.slug
    );
    put_page(shared, sink, "print.html", &rel, &ctx)
}

/// A printable sheet of every item's QR code in a column, for posting in a service hall.
pub(crate) fn qr_sheet(
    shared: &Shared,
    sink: &dyn Sink,
    d: usize,
    c: usize,
) -> Result<usize, Error> {
    let library = shared.site.library;
    let config = shared.site.config;
    let district = &shared.districts[d];
    let column = super::column_view(shared, d, c);
    let mut items: Vec<usize> = shared
        .newest
        .iter()
        .copied()
        .filter(|&i| library.items[i].district == d && library.items[i].column == c)
        .collect();
    items.sort_by(|a, b| shared.summaries[*a].title.cmp(&shared.summaries[*b].title));
    let cards: Vec<serde_json::Value> = items
        .iter()
        .map(|&i| {
            let s = &shared.summaries[i];
            let link = qr::short_link(&config.canonical_url, &config.canonical_path, &library.items[i].short_code);
            serde_json::json!({ "title": s.title, "url": s.url, "qr_url": format!("{}{}qr.svg", config.canonical_path, s.url.strip_prefix(&config.base_path).unwrap_or(&s.url)), "short_url": link.display, "index_no": s.index_no, "withdrawn": s.withdrawn })
        })
        .collect();
    let url = format!("{}qr-sheet/", column.url);
    let page = PageMeta {
        title: format!("{} - {} 二维码汇总", column.name, district.name),
        column_name: column.name.clone(),
        column_type: column.kind_label.to_string(),
        ..page_meta(shared, url.strip_prefix(&config.base_path).unwrap_or(&url))
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
            name: "二维码汇总".to_string(),
            url,
        },
    ];
    let mut ctx = context(shared, page, &crumbs);
    ctx.insert_value("district", shared.district_values[d].clone());
    ctx.insert("column", &column);
    ctx.insert("cards", &cards);
    put_page(
        shared,
        sink,
        "qr_sheet.html",
        &format!(
            "{}/{}/qr-sheet/index.html",
            district.id, config.columns[c].id
        ),
        &ctx,
    )
}

/// Every FAQ question of a district, linking to its anchor.
pub(crate) fn questions(shared: &Shared, sink: &dyn Sink, d: usize) -> Result<usize, Error> {
    let library = shared.site.library;
    let config = shared.site.config;
    let district = &shared.districts[d];
    let faqs: Vec<serde_json::Value> = shared
        .newest
        .iter()
        .copied()
        .filter(|&i| library.items[i].district == d && library.items[i].kind() == Kind::Faq)
        .map(|i| {
            let s = &shared.summaries[i];
            let rendered = crate::markdown::render(&library.items[i].body, config.unsafe_html);
            let questions: Vec<serde_json::Value> = rendered
                .headings
                .iter()
                .filter(|h| h.level == 2)
                .map(|h| serde_json::json!({ "question": h.text, "url": format!("{}#{}", s.url, h.id) }))
                .collect();
            serde_json::json!({ "title": s.title, "url": s.url, "column_name": s.column_name, "questions": questions })
        })
        .collect();
    let url = url_of(&config.base_path, &[&district.id, QUESTIONS]);
    let page = PageMeta {
        title: format!("{} 常见问题", district.name),
        column_name: "常见问题".to_string(),
        column_type: Kind::Faq.zh().to_string(),
        ..page_meta(shared, url.strip_prefix(&config.base_path).unwrap_or(&url))
    };
    let crumbs = [
        Link {
            name: district.name.clone(),
            url: district.url.clone(),
        },
        Link {
            name: "常见问题".to_string(),
            url,
        },
    ];
    let mut ctx = context(shared, page, &crumbs);
    ctx.insert("district", district);
    ctx.insert("faqs", &faqs);
    put_page(
        shared,
        sink,
        "questions.html",
        &format!("{}/{QUESTIONS}/index.html", district.id),
        &ctx,
    )
}

/// What the 年度报告 figures need to know about a policy item: its type, its
/// 发布日期, and the date it stopped being in force, if it did (its
/// `expires` date once passed; for one marked 失效/废止, its 更新日期 or else
/// its 发布日期).
pub(crate) fn policy_record(item: &Item, today: Date) -> Option<PolicyRecord> {
    let KindFields::Policy(p) = &item.fields else {
        return None;
    };
    let abolished = match (&p.expires, p.validity) {
        (Some(expires), _) if expires.value < today => Some(expires.value),
        (_, Some(Validity::Repealed | Validity::Expired)) => {
            Some(item.common.updated.unwrap_or(item.common.date))
        }
        _ => None,
    };
    Some(PolicyRecord {
        doc_type: p.doc_type,
        published: item.common.date,
        abolished,
    })
}

/// `/stats/`: items per district, column and year, and the 年度报告 figures.
pub(crate) fn stats(shared: &Shared, sink: &dyn Sink) -> Result<usize, Error> {
    let library = shared.site.library;
    let config = shared.site.config;
    let published: Vec<&Item> = shared
        .newest
        .iter()
        .map(|&i| &library.items[i])
        .filter(|i| i.common.withdrawn.is_none())
        .collect();
    let years: Vec<u16> = {
        let mut y: Vec<u16> = published.iter().map(|i| i.common.date.year).collect();
        y.sort_unstable_by(|a, b| b.cmp(a));
        y.dedup();
        y
    };
    let columns: Vec<&str> = config.columns.iter().map(|c| c.name.as_str()).collect();
    let rows: Vec<serde_json::Value> = shared
        .districts
        .iter()
        .enumerate()
        .map(|(d, view)| {
            let mine: Vec<&&Item> = published.iter().filter(|i| i.district == d).collect();
            let by_column: Vec<usize> = (0..config.columns.len()).map(|c| mine.iter().filter(|i| i.column == c).count()).collect();
            let by_year: Vec<usize> = years.iter().map(|y| mine.iter().filter(|i| i.common.date.year == *y).count()).collect();
            serde_json::json!({ "name": view.name, "url": view.url, "total": mine.len(), "by_column": by_column, "by_year": by_year })
        })
        .collect();
    let records: Vec<PolicyRecord> = published
        .iter()
        .filter_map(|item| policy_record(item, library.today))
        .collect();
    let report: Vec<serde_json::Value> = years
        .iter()
        .map(|&y| {
            let figures = policy_figures(records.iter().copied(), y);
            serde_json::json!({ "year": y, "regulation": figures.regulation, "normative": figures.normative })
        })
        .collect();
    let page = PageMeta {
        title: "信息公开统计".to_string(),
        column_name: "统计".to_string(),
        ..page_meta(shared, &format!("/{STATS}/"))
    };
    let crumbs = [Link {
        name: "信息公开统计".to_string(),
        url: url_of(&config.base_path, &[STATS]),
    }];
    let mut ctx = context(shared, page, &crumbs);
    ctx.insert("stats", &serde_json::json!({ "columns": columns, "years": years, "rows": rows, "report": report, "rule": POLICY_FIGURES_RULE, "total": published.len(), "today": library.today.to_string() }));
    put_page(
        shared,
        sink,
        "stats.html",
        &format!("{STATS}/index.html"),
        &ctx,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_become_safe_segments() {
        assert_eq!(segment("国土资源、能源"), "国土资源、能源");
        assert_eq!(segment("a/b c"), "a-b-c");
        assert_eq!(segment(".."), "-");
        assert_eq!(segment(""), "-");
    }
}
