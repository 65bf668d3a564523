//! Reading a member's export whole ([`read_export`]) and the checks it
//! must pass before a portal uses it (issue 17 item 3): its own `base_url`
//! is the one the portal configured, every link of every item stays inside
//! it, ids are unique, the files agree with each other, and the paths
//! `site.json` names stay inside the site. The same 索引号 in two members
//! is normal (different authorities), so only ids are checked here.

use super::contract;
use super::export::{Export, ExportItem, SiteInfo, parse_items, parse_site};
use super::format::ExportError;
use super::search_text::SearchSource;
use std::collections::HashSet;

/// How many problems an error lists; the rest are counted.
const LISTED: usize = 10;

/// Problems found so far.
#[derive(Default)]
struct Problems {
    listed: Vec<String>,
    more: usize,
}

impl Problems {
    fn push(&mut self, problem: String) {
        if self.listed.len() < LISTED {
            self.listed.push(problem);
        } else {
            self.more += 1;
        }
    }

    fn into_result(self) -> Result<(), ExportError> {
        if self.listed.is_empty() {
            Ok(())
        } else {
            Err(ExportError::Invalid {
                problems: self.listed,
                more: self.more,
            })
        }
    }
}

/// Parse and check a member's export (`site.json`, the site-wide
/// `items.json` and the search text): versions, the configured base URL,
/// links, ids, and the search text (read through once).
pub fn read_export(
    site: &[u8],
    items: &[u8],
    search: SearchSource,
    configured_base_url: &str,
) -> Result<Export, ExportError> {
    let site = parse_site(site)?;
    let items = parse_items(contract::ITEMS_FILE, items)?;
    let ids = check_export(&site, &items, configured_base_url)?;
    search.check(&ids)?;
    Ok(Export {
        site,
        items,
        search,
    })
}

/// Check `site.json` and the items against the member's configured base
/// URL; returns the set of item ids for checking the search text.
pub fn check_export<'a>(
    site: &SiteInfo,
    items: &'a [ExportItem],
    configured_base_url: &str,
) -> Result<HashSet<&'a str>, ExportError> {
    let mut problems = Problems::default();
    if normalize_base(&site.base_url) != normalize_base(configured_base_url) {
        problems.push(format!(
            "导出中的 base_url “{}” 与门户为该成员配置的 “{}” 不一致",
            site.base_url, configured_base_url
        ));
        // Every link would be reported too; the first problem says it all.
        return problems.into_result().map(|()| HashSet::new());
    }
    if site.items != items.len() {
        problems.push(format!(
            "site.json 说有 {} 条，items.json 有 {} 条（两个文件不是同一次构建的？）",
            site.items,
            items.len()
        ));
    }
    for (what, path) in [("items", &site.files.items), ("search", &site.files.search)] {
        if safe_relative_path(path).is_none() {
            problems.push(format!(
                "site.json 的 files.{what} “{path}” 不是网站内的相对路径"
            ));
        }
    }
    let base = site.base_url.trim_end_matches('/');
    let mut ids = HashSet::with_capacity(items.len());
    for item in items {
        if !ids.insert(item.id.as_str()) {
            problems.push(format!("条目 id “{}” 重复", item.id));
        }
        let print = item.service.as_ref().map(|s| s.print_url.as_str());
        let links = [
            ("url", Some(item.url.as_str())),
            ("short_url", Some(&item.short_url)),
            ("print_url", print),
        ];
        for (field, link) in links {
            if let Some(link) = link.filter(|l| !is_inside(l, base)) {
                problems.push(format!(
                    "条目 {} 的 {field} “{link}” 不在该成员的网址 {base}/ 之下",
                    item.id
                ));
            }
        }
    }
    problems.into_result().map(|()| ids)
}

/// A base URL compared case-insensitively in its scheme and host and
/// without a trailing slash.
pub fn normalize_base(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            format!(
                "{}://{}{path}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            )
        }
        None => url.to_string(),
    }
}

/// True when `url` is a page under `base` (no trailing slash): the base
/// followed by `/`, and no segment that climbs out (`..`, also
/// percent-encoded), no backslash (browsers read it as `/`), no white
/// space or control character.
pub fn is_inside(url: &str, base: &str) -> bool {
    let Some(rest) = url.strip_prefix(base) else {
        return false;
    };
    if !rest.starts_with('/') || rest.contains('\\') {
        return false;
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let path = rest.split(['?', '#']).next().unwrap_or("");
    !path.split('/').any(|segment| {
        let lower = segment.to_ascii_lowercase().replace("%2e", ".");
        lower == "." || lower == ".."
    })
}

/// `path` when it is a relative path inside the site (`api/items.json`):
/// forward slashes, no empty, `.` or `..` segment, no scheme, no query.
pub fn safe_relative_path(path: &str) -> Option<&str> {
    let ok = !path.is_empty()
        && !path.contains(['\\', ':', '?', '#', '%'])
        && !path.chars().any(|c| c.is_whitespace() || c.is_control())
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..");
    ok.then_some(path)
}
