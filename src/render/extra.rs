//! Files beside the pages: sitemap.xml, robots.txt, the site's Atom feed and
//! the open-data export (`api/site.json`, `api/items.json` and
//! `api/search.jsonl.gz`, versioned as [`crate::portal::contract`] says).

use super::views::Summary;
use super::{Site, escape_html};
use crate::content::front::KindFields;
use crate::diag::Error;
use crate::output::Sink;
use crate::portal::contract;
use serde::Serialize;

/// Write sitemap, robots, feed and open data.
pub fn write_extras(
    site: &Site,
    summaries: &[Summary],
    newest: &[usize],
    sink: &dyn Sink,
) -> Result<(), Error> {
    use rayon::prelude::*;
    // Each file on its own: the site-wide ones are the largest.
    let mut files: Vec<Box<dyn Fn() -> Result<(), Error> + Sync + '_>> = Vec::new();
    // One sitemap and robots.txt, at the root: in the main copy only.
    files.push(Box::new(|| {
        sink.put_main("sitemap.xml", sitemap(site, summaries, newest).as_bytes())
    }));
    files.push(Box::new(|| {
        let robots = format!(
            "User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n",
            site.config.base_url
        );
        sink.put_main("robots.txt", robots.as_bytes())
    }));
    files.push(Box::new(|| {
        sink.put(contract::ITEMS_FILE, &items_json(site, summaries, newest))
    }));
    // The site description is the portal's entry point: the main copy's.
    files.push(Box::new(|| {
        sink.put_main(contract::SITE_FILE, &site_json(site, newest))
    }));
    for d in 0..site.library.districts.len() {
        files.push(Box::new(move || {
            let mine: Vec<usize> = newest
                .iter()
                .copied()
                .filter(|&i| site.library.items[i].district == d)
                .collect();
            sink.put(
                &format!("{}/{}", site.library.districts[d].id, contract::ITEMS_FILE),
                &items_json(site, summaries, &mine),
            )
        }));
    }
    for feed in feeds(site, newest) {
        files.push(Box::new(move || {
            sink.put(
                &format!("{}atom.xml", feed.dir),
                atom(site, summaries, &feed).as_bytes(),
            )
        }));
    }
    files.par_iter().try_for_each(|write| write())
}

fn absolute(site: &Site, url: &str) -> String {
    format!(
        "{}{}",
        site.config.base_url,
        url.strip_prefix(&site.config.base_path).unwrap_or(url)
    )
}

fn sitemap(site: &Site, summaries: &[Summary], newest: &[usize]) -> String {
    let config = site.config;
    let mut urls = vec![(format!("{}/", config.base_url), None)];
    for d in &site.library.districts {
        urls.push((
            format!(
                "{}/{}/",
                config.base_url,
                super::views::encode_segment(&d.id)
            ),
            None,
        ));
        for c in &config.columns {
            let path = super::views::url_of("", &[&d.id, &c.id]);
            urls.push((format!("{}{path}", config.base_url), None));
        }
    }
    let mut items: Vec<usize> = newest.to_vec();
    items.sort_by(|a, b| summaries[*a].id.cmp(&summaries[*b].id));
    for i in items {
        let item = &site.library.items[i];
        let modified = item.common.updated.unwrap_or(item.common.date);
        urls.push((
            absolute(site, &summaries[i].url),
            Some(modified.to_string()),
        ));
    }
    if config.traditional {
        // The Traditional copy mirrors every page under /zh-hant/.
        let prefix = format!("{}/", config.base_url);
        let hant: Vec<(String, Option<String>)> = urls
            .iter()
            .filter_map(|(loc, m)| {
                loc.strip_prefix(&prefix).map(|rest| {
                    (
                        format!("{prefix}{}/{rest}", crate::config::HANT_DIR),
                        m.clone(),
                    )
                })
            })
            .collect();
        urls.extend(hant);
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in urls {
        xml.push_str(&format!("<url><loc>{}</loc>", escape_html(&loc)));
        if let Some(m) = lastmod {
            xml.push_str(&format!("<lastmod>{m}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// One Atom feed: the site's, a district's or a column's.
struct Feed {
    /// Feed title.
    title: String,
    /// Site-relative folder of the page the feed belongs to ("" or "yueyang/").
    dir: String,
    /// Items, newest first.
    items: Vec<usize>,
}

fn atom(site: &Site, summaries: &[Summary], feed: &Feed) -> String {
    let config = site.config;
    let library = site.library;
    let page = format!("{}/{}", config.base_url, encode_dir(&feed.dir));
    let updated = feed
        .items
        .iter()
        .map(|&i| {
            library.items[i]
                .common
                .updated
                .unwrap_or(library.items[i].common.date)
        })
        .max()
        .unwrap_or(library.today);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n\
         <title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<link rel=\"self\" href=\"{}atom.xml\"/>\n\
         <updated>{updated}T00:00:00+08:00</updated>\n<author><name>{}</name></author>\n",
        escape_html(&config.language),
        escape_html(&feed.title),
        escape_html(&page),
        escape_html(&page),
        escape_html(&page),
        escape_html(&config.title),
    );
    for &i in feed.items.iter().take(50) {
        let s = &summaries[i];
        let item = &library.items[i];
        let link = absolute(site, &s.url);
        let modified = item.common.updated.unwrap_or(item.common.date);
        xml.push_str(&format!(
            "<entry><title>{}</title><id>{}</id><link href=\"{}\"/><published>{}T00:00:00+08:00</published>\
             <updated>{modified}T00:00:00+08:00</updated><author><name>{}</name></author><category term=\"{}\" label=\"{}\"/>",
            escape_html(&s.title),
            escape_html(&link),
            escape_html(&link),
            item.common.date,
            escape_html(&s.district_name),
            s.kind,
            escape_html(&s.column_name),
        ));
        if !s.summary.is_empty() {
            xml.push_str(&format!("<summary>{}</summary>", escape_html(&s.summary)));
        }
        xml.push_str("</entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// Percent-encode each segment of a site-relative folder ("a/b/").
fn encode_dir(dir: &str) -> String {
    dir.split('/')
        .map(super::views::encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// Feeds of the site, of each district and of each column.
fn feeds(site: &Site, newest: &[usize]) -> Vec<Feed> {
    let library = site.library;
    let mut feeds = vec![Feed {
        title: site.config.title.clone(),
        dir: String::new(),
        items: newest.to_vec(),
    }];
    let mut by_district: Vec<Vec<usize>> = vec![Vec::new(); library.districts.len()];
    let mut by_column: Vec<Vec<Vec<usize>>> =
        vec![vec![Vec::new(); site.config.columns.len()]; library.districts.len()];
    for &i in newest {
        let item = &library.items[i];
        by_district[item.district].push(i);
        by_column[item.district][item.column].push(i);
    }
    for (d, district) in library.districts.iter().enumerate() {
        feeds.push(Feed {
            title: format!("{} - {}", district.name, site.config.title),
            dir: format!("{}/", district.id),
            items: std::mem::take(&mut by_district[d]),
        });
        for (c, column) in site.config.columns.iter().enumerate() {
            feeds.push(Feed {
                title: format!("{} - {}", column.name, district.name),
                dir: format!("{}/{}/", district.id, column.id),
                items: std::mem::take(&mut by_column[d][c]),
            });
        }
    }
    feeds
}

/// `api/items.json`: the format version and the items.
#[derive(Serialize)]
struct ItemsFile<'a> {
    format: &'static str,
    items: Vec<ItemRecord<'a>>,
}

/// One item in `api/items.json` (documented in docs/open-data.md).
#[derive(Serialize)]
struct ItemRecord<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
    url: String,
    district: &'a str,
    district_name: &'a str,
    column: &'a str,
    column_name: &'a str,
    date: String,
    updated: Option<String>,
    index_no: &'a str,
    short_code: &'a str,
    short_url: String,
    topic: Option<&'a str>,
    keywords: &'a [String],
    summary: Option<&'a str>,
    withdrawn: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<PolicyRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service: Option<ServiceRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interprets: Option<&'a str>,
}

#[derive(Serialize)]
struct PolicyRecord<'a> {
    doc_number: Option<&'a str>,
    issuer: &'a str,
    written: Option<String>,
    doc_type: Option<&'static str>,
    validity: &'static str,
    expires: Option<String>,
}

#[derive(Serialize)]
struct ServiceRecord<'a> {
    item_type: &'static str,
    item_code: Option<&'a str>,
    levels: Vec<&'static str>,
    department: Option<&'a str>,
    legal_days: Option<u32>,
    promised_days: Option<u32>,
    fee: Option<&'a str>,
    print_url: String,
}

fn policy_record<'a>(site: &Site, p: &'a crate::content::front::Policy) -> PolicyRecord<'a> {
    let expired = super::item::is_expired(p, site.library.today);
    let validity = match p.validity {
        Some(v) if v != crate::content::words::Validity::Valid => v.en(),
        _ if expired => "expired",
        _ => "valid",
    };
    PolicyRecord {
        doc_number: p.doc_number.as_deref(),
        issuer: &p.issuer,
        written: p.written.map(|d| d.to_string()),
        doc_type: p.doc_type.map(|d| d.en()),
        validity,
        expires: p.expires.as_ref().map(|e| e.value.to_string()),
    }
}

fn service_record<'a>(s: &'a crate::content::front::Service, url: &str) -> ServiceRecord<'a> {
    ServiceRecord {
        item_type: s.item_type.en(),
        item_code: s.item_code.as_deref(),
        levels: s.levels.iter().map(|l| l.en()).collect(),
        department: s.department.as_deref(),
        legal_days: s.legal_days,
        promised_days: s.promised_days,
        fee: s.fee.as_deref(),
        print_url: format!("{url}print/"),
    }
}

fn items_json(site: &Site, summaries: &[Summary], newest: &[usize]) -> Vec<u8> {
    let library = site.library;
    let mut order: Vec<usize> = newest.to_vec();
    order.sort_by(|a, b| summaries[*a].id.cmp(&summaries[*b].id));
    let mut records = Vec::with_capacity(order.len());
    for i in order {
        let item = &library.items[i];
        let url = absolute(site, &summaries[i].url);
        let interprets = item
            .links
            .iter()
            .find(|(f, _)| *f == "interprets")
            .map(|(_, t)| library.items[*t].id.as_str());
        records.push(ItemRecord {
            id: &item.id,
            kind: item.kind().en(),
            title: &item.common.title,
            district: &library.districts[item.district].id,
            district_name: &summaries[i].district_name,
            column: &site.config.columns[item.column].id,
            column_name: &summaries[i].column_name,
            date: item.common.date.to_string(),
            updated: item.common.updated.map(|d| d.to_string()),
            index_no: &item.index_no,
            short_code: &item.short_code,
            short_url: format!("{}/q/{}/", site.config.canonical_url, item.short_code),
            topic: item.common.topic.as_deref(),
            keywords: &item.common.keywords,
            summary: item.common.summary.as_deref(),
            withdrawn: item.common.withdrawn.is_some(),
            policy: match &item.fields {
                KindFields::Policy(p) => Some(policy_record(site, p)),
                _ => None,
            },
            service: match &item.fields {
                KindFields::Service(s) => Some(service_record(s, &url)),
                _ => None,
            },
            interprets,
            url,
        });
    }
    json_bytes(&ItemsFile {
        format: contract::FORMAT,
        items: records,
    })
}

/// `api/site.json`: what a portal needs to know of the site before it
/// reads the items (docs/open-data.md).
#[derive(Serialize)]
struct SiteFile<'a> {
    format: &'static str,
    name: &'a str,
    base_url: &'a str,
    language: &'a str,
    generated: String,
    identity: IdentityRecord<'a>,
    items: usize,
    districts: Vec<DistrictRecord<'a>>,
    files: FilesRecord,
}

#[derive(Serialize)]
struct IdentityRecord<'a> {
    site_id_code: Option<&'a str>,
}

#[derive(Serialize)]
struct DistrictRecord<'a> {
    id: &'a str,
    name: &'a str,
    code: Option<&'a str>,
    org_code: Option<&'a str>,
    items: usize,
    items_file: String,
}

/// The other export files, relative to the site's root.
#[derive(Serialize)]
struct FilesRecord {
    items: &'static str,
    search: &'static str,
}

fn site_json(site: &Site, newest: &[usize]) -> Vec<u8> {
    let (config, library) = (site.config, site.library);
    let mut counts = vec![0; library.districts.len()];
    for &i in newest {
        counts[library.items[i].district] += 1;
    }
    let districts = library
        .districts
        .iter()
        .zip(counts)
        .map(|(d, items)| DistrictRecord {
            id: &d.id,
            name: &d.name,
            code: given(&d.code),
            org_code: given(&d.org_code),
            items,
            items_file: format!("{}/{}", d.id, contract::ITEMS_FILE),
        })
        .collect();
    json_bytes(&SiteFile {
        format: contract::FORMAT,
        name: &config.title,
        base_url: &config.base_url,
        language: &config.language,
        generated: library.today.to_string(),
        identity: IdentityRecord {
            site_id_code: given(&config.site_id_code),
        },
        items: newest.len(),
        districts,
        files: FilesRecord {
            items: contract::ITEMS_FILE,
            search: contract::SEARCH_FILE,
        },
    })
}

/// `None` for an empty text (written as `null`).
fn given(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

/// First line of `api/search.jsonl.gz`.
#[derive(Serialize)]
struct SearchHeader {
    format: &'static str,
    items: usize,
}

/// Every other line of `api/search.jsonl.gz`: one item's plain text.
#[derive(Serialize)]
struct SearchLine<'a> {
    id: &'a str,
    text: &'a str,
}

/// gzip level of `api/search.jsonl.gz` (see [`search_export`]).
const SEARCH_EXPORT_LEVEL: u32 = 2;

/// `api/search.jsonl.gz`: a header line, then each item's id and plain
/// body text (what the site's own search indexes), sorted by id, as JSON
/// lines in one gzip member.
///
/// Compression level 2 of 9: the file is written by every build, and read
/// by a portal only when it changed (conditional requests). On the
/// 10,000-item benchmark corpus (21.8 MB of text) level 1 gives 6.0 MB in
/// 0.08 s of CPU, level 2 3.9 MB in 0.10 s, level 3 3.2 MB in 0.16 s,
/// level 6 3.1 MB in 0.30 s. It runs beside the search index.
pub fn search_export(docs: &[&crate::search::SearchDoc]) -> Vec<u8> {
    use std::io::Write;
    let mut order: Vec<&crate::search::SearchDoc> = docs.to_vec();
    order.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    let raw: usize = order.iter().map(|d| d.id.len() + d.text.len() + 24).sum();
    let mut gz = flate2::GzBuilder::new().write(
        Vec::with_capacity(raw / 4),
        flate2::Compression::new(SEARCH_EXPORT_LEVEL),
    );
    // Lines are gathered into blocks: one compressor call per line would
    // cost more than the compression.
    let mut block = Vec::with_capacity(1 << 16);
    let header = SearchHeader {
        format: contract::FORMAT,
        items: order.len(),
    };
    // Writing into memory cannot fail, nor can serialising these structs.
    let _ = serde_json::to_writer(&mut block, &header);
    block.push(b'\n');
    for doc in order {
        let line = SearchLine {
            id: &doc.id,
            text: &doc.text,
        };
        let _ = serde_json::to_writer(&mut block, &line);
        block.push(b'\n');
        if block.len() >= 1 << 16 {
            let _ = gz.write_all(&block);
            block.clear();
        }
    }
    let _ = gz.write_all(&block);
    gz.finish().unwrap_or_default()
}

/// Pretty JSON with `<`, `>` and `&` escaped as `\u003c` …, so the file stays
/// inert even if someone embeds it in a page.
pub fn json_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = Inert(Vec::new());
    if serde_json::to_writer_pretty(&mut out, value).is_err() {
        return Vec::new();
    }
    out.0
}

/// A writer that escapes `<`, `>` and `&` as JSON `\u` escapes while the
/// JSON is written (they can only occur inside strings), instead of three
/// passes over a finished copy: the open data of a large site is tens of
/// megabytes.
struct Inert(Vec<u8>);

impl std::io::Write for Inert {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let escaped = |byte| -> Option<&'static [u8]> {
            match byte {
                b'<' => Some(b"\\u003c"),
                b'>' => Some(b"\\u003e"),
                b'&' => Some(b"\\u0026"),
                _ => None,
            }
        };
        super::write_replacing(bytes, escaped, &mut self.0)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
