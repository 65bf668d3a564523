//! Files beside the pages: sitemap.xml, robots.txt, the site's Atom feed and
//! `/api/items.json` (all items' metadata as open data).

use super::views::Summary;
use super::{Site, escape_html};
use crate::content::front::KindFields;
use crate::diag::Error;
use crate::output::Sink;
use serde::Serialize;

/// Write sitemap, robots, feed and open data.
pub fn write_extras(
    site: &Site,
    summaries: &[Summary],
    newest: &[usize],
    sink: &dyn Sink,
) -> Result<(), Error> {
    sink.put("sitemap.xml", sitemap(site, summaries, newest).as_bytes())?;
    let robots = format!(
        "User-agent: *\nAllow: /\nSitemap: {}/sitemap.xml\n",
        site.config.base_url
    );
    sink.put("robots.txt", robots.as_bytes())?;
    sink.put("atom.xml", atom(site, summaries, newest).as_bytes())?;
    sink.put("api/items.json", &items_json(site, summaries, newest))?;
    Ok(())
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

fn atom(site: &Site, summaries: &[Summary], newest: &[usize]) -> String {
    let config = site.config;
    let updated = newest
        .first()
        .map(|&i| {
            site.library.items[i]
                .common
                .updated
                .unwrap_or(site.library.items[i].common.date)
        })
        .unwrap_or(site.library.today);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n\
         <title>{}</title>\n<id>{}/</id>\n<link href=\"{}/\"/>\n<link rel=\"self\" href=\"{}/atom.xml\"/>\n<updated>{updated}T00:00:00+08:00</updated>\n",
        escape_html(&config.language),
        escape_html(&config.title),
        escape_html(&config.base_url),
        escape_html(&config.base_url),
        escape_html(&config.base_url),
    );
    for &i in newest.iter().take(50) {
        let s = &summaries[i];
        let item = &site.library.items[i];
        let link = absolute(site, &s.url);
        let modified = item.common.updated.unwrap_or(item.common.date);
        xml.push_str(&format!(
            "<entry><title>{}</title><id>{}</id><link href=\"{}\"/><published>{}T00:00:00+08:00</published><updated>{modified}T00:00:00+08:00</updated><author><name>{}</name></author>",
            escape_html(&s.title),
            escape_html(&link),
            escape_html(&link),
            item.common.date,
            escape_html(&s.district_name),
        ));
        if !s.summary.is_empty() {
            xml.push_str(&format!("<summary>{}</summary>", escape_html(&s.summary)));
        }
        xml.push_str("</entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

#[derive(Serialize)]
struct ItemRecord<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
    url: String,
    district: &'a str,
    column: &'a str,
    date: String,
    updated: Option<String>,
    index_no: &'a str,
    short_code: &'a str,
    short_url: String,
    doc_number: Option<&'a str>,
    issuer: Option<&'a str>,
    item_type: Option<&'static str>,
    topic: Option<&'a str>,
    summary: Option<&'a str>,
    withdrawn: bool,
}

fn items_json(site: &Site, summaries: &[Summary], newest: &[usize]) -> Vec<u8> {
    let mut records = Vec::with_capacity(newest.len());
    let mut order: Vec<usize> = newest.to_vec();
    order.sort_by(|a, b| summaries[*a].id.cmp(&summaries[*b].id));
    for i in order {
        let item = &site.library.items[i];
        let (doc_number, issuer, item_type) = match &item.fields {
            KindFields::Policy(p) => (p.doc_number.as_deref(), Some(p.issuer.as_str()), None),
            KindFields::Service(s) => (None, None, Some(s.item_type.en())),
            _ => (None, None, None),
        };
        records.push(ItemRecord {
            id: &item.id,
            kind: item.kind().en(),
            title: &item.common.title,
            url: absolute(site, &summaries[i].url),
            district: &site.library.districts[item.district].id,
            column: &site.config.columns[item.column].id,
            date: item.common.date.to_string(),
            updated: item.common.updated.map(|d| d.to_string()),
            index_no: &item.index_no,
            short_code: &item.short_code,
            short_url: format!("{}/q/{}/", site.config.base_url, item.short_code),
            doc_number,
            issuer,
            item_type,
            topic: item.common.topic.as_deref(),
            summary: item.common.summary.as_deref(),
            withdrawn: item.common.withdrawn.is_some(),
        });
    }
    serde_json::to_vec_pretty(&records).unwrap_or_default()
}
