//! Site configuration (`site.toml`, DESIGN §2): every key has a default, and
//! a site without the file builds from the embedded default.

use crate::content::fields::Word;
use crate::content::words::Kind;
use crate::diag::{Diagnostic, Error, Result};
use serde::Deserialize;
use std::path::Path;

/// Folder of the Traditional Chinese copy in the output.
pub const HANT_DIR: &str = "zh-hant";

/// The default configuration carried by the binary.
pub const DEFAULT_SITE_TOML: &str = include_str!("default_site.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default = "default_title")]
    title: String,
    base_url: Option<toml::Spanned<String>>,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    traditional: bool,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    unsafe_html: bool,
    #[serde(default)]
    site_id_code: String,
    #[serde(default = "default_index_format")]
    index_format: String,
    #[serde(default = "default_page_size")]
    page_size: usize,
    #[serde(default)]
    district: Vec<RawDistrict>,
    #[serde(default)]
    column: Vec<RawColumn>,
    #[serde(default)]
    traditional_phrases: std::collections::BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistrict {
    id: String,
    name: Option<String>,
    code: Option<toml::Spanned<String>>,
    org_code: Option<toml::Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    id: String,
    name: Option<String>,
    kind: toml::Spanned<String>,
}

fn default_title() -> String {
    "政务公开".to_string()
}
fn default_base_url() -> String {
    "http://127.0.0.1:1111".to_string()
}
fn default_language() -> String {
    "zh-CN".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_index_format() -> String {
    "{org_code}/{year}-{seq:05}".to_string()
}
fn default_page_size() -> usize {
    20
}

/// A district (a folder under `content/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    /// Folder name.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Administrative division code (may be empty).
    pub code: String,
    /// Organisation code used in 索引号 (may be empty).
    pub org_code: String,
}

impl District {
    /// A district known only by its folder.
    pub fn from_folder(id: &str) -> District {
        District {
            id: id.to_string(),
            name: id.to_string(),
            code: String::new(),
            org_code: String::new(),
        }
    }

    /// The code that identifies the district in 索引号 and short codes.
    pub fn identity_code(&self) -> &str {
        if !self.code.is_empty() {
            &self.code
        } else if !self.org_code.is_empty() {
            &self.org_code
        } else {
            &self.id
        }
    }
}

/// A column (a folder under a district); it decides the kind of its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Folder name.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Kind of every item in it.
    pub kind: Kind,
}

/// The resolved site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// Absolute base URL without trailing slash.
    pub base_url: String,
    /// Path part of the base URL without trailing slash ("" at the domain root).
    pub base_path: String,
    /// Host part of the base URL.
    pub domain: String,
    /// Base URL of the Simplified (main) copy: short links, QR images and the
    /// 简/繁 switch point here from both copies.
    pub canonical_url: String,
    /// Path part of `canonical_url`.
    pub canonical_path: String,
    /// Page language.
    pub language: String,
    /// Build a Traditional Chinese copy.
    pub traditional: bool,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Keep raw HTML in Markdown.
    pub unsafe_html: bool,
    /// 网站标识码.
    pub site_id_code: String,
    /// 索引号 layout.
    pub index_format: String,
    /// Items per column list page.
    pub page_size: usize,
    /// Declared districts; empty means "the folders under content/".
    pub districts: Vec<District>,
    /// The columns.
    pub columns: Vec<Column>,
    /// Where `base_url` came from (for the go-live check, crate::golive).
    pub base_url_origin: crate::golive::Origin,
    /// District codes still as `gongkai init` wrote them.
    pub starter_codes: Vec<crate::golive::StarterCode>,
    /// The site's own phrases for the Traditional copy, `(Simplified,
    /// Traditional)` sorted by key (`[traditional_phrases]`, see
    /// [`crate::hant::Converter::with_phrases`]).
    pub traditional_phrases: Vec<(String, String)>,
}

impl Config {
    /// Load `site.toml` from `root`, or the embedded default when absent.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join("site.toml");
        if !path.exists() {
            let mut config = Config::parse("site.toml", DEFAULT_SITE_TOML)?;
            config.base_url_origin = crate::golive::Origin::Embedded;
            return Ok(config);
        }
        let bytes = crate::fsutil::read(&path)?;
        let text = crate::content::source::decode("site.toml", &bytes)
            .map_err(|d| Error::Content(vec![d]))?;
        Config::parse("site.toml", &text)
    }

    /// Parse configuration text; errors carry line and column.
    pub fn parse(name: &str, text: &str) -> Result<Config> {
        if let Some(at) = crate::render::copies::find_reserved(text) {
            let (line, column) = line_column(text, at);
            let message = crate::render::copies::RESERVED_MESSAGE;
            return Err(Error::Content(vec![Diagnostic::error(
                name, line, column, message,
            )]));
        }
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_column(text, s.start));
            let message = format!("配置错误：{}", e.message().trim());
            Error::Content(vec![Diagnostic::error(name, line, column, message)])
        })?;
        resolve(name, text, raw)
    }

    /// The column with this id.
    pub fn column(&self, id: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.id == id)
    }

    /// Replace the base URL (command-line `--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> Result<()> {
        let (base_url, domain, base_path) = split_base_url(url).ok_or_else(|| {
            Error::Other(format!(
                "base_url “{url}” 不是以 http:// 或 https:// 开头的网址"
            ))
        })?;
        self.canonical_url = base_url.clone();
        self.canonical_path = base_path.clone();
        self.base_url = base_url;
        self.domain = domain;
        self.base_path = base_path;
        self.base_url_origin = crate::golive::Origin::CommandLine;
        Ok(())
    }
}

fn resolve(name: &str, text: &str, raw: RawConfig) -> Result<Config> {
    let RawConfig {
        title,
        base_url,
        language,
        traditional,
        theme,
        unsafe_html,
        site_id_code,
        index_format,
        page_size,
        district,
        column,
        traditional_phrases,
    } = raw;
    let mut diags = Vec::new();
    let at = |needle: &str| line_column(text, text.find(needle).unwrap_or(0));
    let mut columns = Vec::new();
    for c in column {
        let kind = Kind::WORDS
            .iter()
            .find(|(_, en, zh)| *en == c.kind.get_ref() || *zh == c.kind.get_ref());
        match kind {
            Some((kind, _, _)) => columns.push(Column {
                name: c.name.unwrap_or_else(|| c.id.clone()),
                id: c.id,
                kind: *kind,
            }),
            None => {
                let (line, column) = line_column(text, c.kind.span().start);
                let message = format!(
                    "栏目 {} 的 kind “{}” 不是可选值之一：{}",
                    c.id,
                    c.kind.get_ref(),
                    crate::content::fields::allowed_words::<Kind>()
                );
                diags.push(Diagnostic::error(name, line, column, message).with_field("kind"));
            }
        }
    }
    if columns.is_empty() && diags.is_empty() {
        columns = standard_columns();
    }
    let starter_codes = starter_codes(text, &district);
    let districts: Vec<District> = district
        .into_iter()
        .map(|d| District {
            name: d.name.unwrap_or_else(|| d.id.clone()),
            id: d.id,
            code: d.code.map(toml::Spanned::into_inner).unwrap_or_default(),
            org_code: d
                .org_code
                .map(toml::Spanned::into_inner)
                .unwrap_or_default(),
        })
        .collect();
    check_reserved(name, &districts, &columns, &at, &mut diags);
    check_ids(
        name,
        &districts.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        &at,
        &mut diags,
    );
    check_ids(
        name,
        &columns.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        &at,
        &mut diags,
    );
    let base_url_origin = base_url
        .as_ref()
        .map_or(crate::golive::Origin::Default, |b| {
            let (line, column) = line_column(text, b.span().start);
            crate::golive::Origin::File { line, column }
        });
    let base_url = base_url.map_or_else(default_base_url, toml::Spanned::into_inner);
    let Some((base_url, domain, base_path)) = split_base_url(&base_url) else {
        let (line, column) = at("base_url");
        let message = format!("base_url “{base_url}” 不是以 http:// 或 https:// 开头的网址");
        diags.push(Diagnostic::error(name, line, column, message).with_field("base_url"));
        return Err(Error::Content(diags));
    };
    let traditional_phrases = check_phrases(name, text, traditional_phrases, &mut diags);
    if page_size == 0 {
        let (line, column) = at("page_size");
        diags.push(
            Diagnostic::error(name, line, column, "page_size 应大于 0").with_field("page_size"),
        );
    }
    if !diags.is_empty() {
        return Err(Error::Content(diags));
    }
    Ok(Config {
        title,
        canonical_url: base_url.clone(),
        canonical_path: base_path.clone(),
        base_url,
        base_path,
        domain,
        language,
        traditional,
        theme,
        unsafe_html,
        site_id_code,
        index_format,
        page_size,
        districts,
        columns,
        base_url_origin,
        starter_codes,
        traditional_phrases,
    })
}

/// The `code`/`org_code` values still as `gongkai init` wrote them.
fn starter_codes(text: &str, districts: &[RawDistrict]) -> Vec<crate::golive::StarterCode> {
    use crate::golive::{STARTER_DIVISION_CODE, STARTER_ORG_CODE, StarterCode};
    let mut out = Vec::new();
    for d in districts {
        let pairs = [
            ("code", &d.code, STARTER_DIVISION_CODE),
            ("org_code", &d.org_code, STARTER_ORG_CODE),
        ];
        for (key, value, starter) in pairs {
            if let Some(value) = value.as_ref().filter(|v| v.get_ref().trim() == starter) {
                let (line, column) = line_column(text, value.span().start);
                out.push(StarterCode {
                    district: d.id.clone(),
                    key,
                    line,
                    column,
                });
            }
        }
    }
    out
}

/// The `[traditional_phrases]` of `site.toml`, each checked with
/// [`crate::hant::check_phrase`]; errors at the key or the value.
fn check_phrases(
    name: &str,
    text: &str,
    phrases: std::collections::BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    if phrases.len() > crate::hant::MOST_SITE_PHRASES {
        let (line, column) = line_column(text, text.find("[traditional_phrases]").unwrap_or(0));
        let message = format!(
            "繁体词语最多 {} 条，这里有 {} 条",
            crate::hant::MOST_SITE_PHRASES,
            phrases.len()
        );
        diags
            .push(Diagnostic::error(name, line, column, message).with_field("traditional_phrases"));
    }
    let mut out = Vec::with_capacity(phrases.len());
    for (key, value) in phrases {
        if let Some(message) = crate::hant::check_phrase(key.get_ref(), value.get_ref()) {
            // A bad key is the key's fault, anything else the value's.
            let span = match crate::hant::check_phrase(key.get_ref(), "x") {
                Some(_) => key.span(),
                None => value.span(),
            };
            let (line, column) = line_column(text, span.start);
            diags.push(
                Diagnostic::error(name, line, column, message).with_field("traditional_phrases"),
            );
        }
        out.push((key.into_inner(), value.into_inner()));
    }
    out
}

fn check_ids(
    name: &str,
    ids: &[&str],
    at: &dyn Fn(&str) -> (usize, usize),
    diags: &mut Vec<Diagnostic>,
) {
    for (i, id) in ids.iter().enumerate() {
        let (line, column) = at(&format!("\"{id}\""));
        if !crate::content::identity::is_safe_segment(id) {
            let message = format!("id “{id}” 不能为空，也不能包含 / \\ 或 ..");
            diags.push(Diagnostic::error(name, line, column, message).with_field("id"));
        } else if ids[..i].contains(id) {
            diags.push(
                Diagnostic::error(name, line, column, format!("id “{id}” 重复")).with_field("id"),
            );
        }
    }
}

/// Folder names the site itself uses at the top level and inside a district.
pub const RESERVED_DISTRICT_IDS: &[&str] = &[
    "catalog", "services", "stats", "search", "q", "Q", "api", "zh-hant", "page",
];
/// Folder names a district uses beside its columns.
pub const RESERVED_COLUMN_IDS: &[&str] = &[
    "catalog",
    "service-catalog",
    "questions",
    "api",
    "page",
    "qr-sheet",
    "_annual",
];

fn check_reserved(
    name: &str,
    districts: &[District],
    columns: &[Column],
    at: &dyn Fn(&str) -> (usize, usize),
    diags: &mut Vec<Diagnostic>,
) {
    for d in districts
        .iter()
        .filter(|d| RESERVED_DISTRICT_IDS.contains(&d.id.as_str()))
    {
        let (line, column) = at(&format!("\"{}\"", d.id));
        let message = format!("区县 id “{}” 是网站保留的目录名，请换一个", d.id);
        diags.push(Diagnostic::error(name, line, column, message).with_field("id"));
    }
    for c in columns
        .iter()
        .filter(|c| RESERVED_COLUMN_IDS.contains(&c.id.as_str()))
    {
        let (line, column) = at(&format!("\"{}\"", c.id));
        let message = format!("栏目 id “{}” 是网站保留的目录名，请换一个", c.id);
        diags.push(Diagnostic::error(name, line, column, message).with_field("id"));
    }
}

fn standard_columns() -> Vec<Column> {
    [
        ("policies", "政策文件", Kind::Policy),
        ("interpretations", "政策解读", Kind::Interpretation),
        ("services", "办事指南", Kind::Service),
        ("news", "工作动态", Kind::Article),
        ("notices", "通知公告", Kind::Article),
        ("gazette", "政府公报", Kind::Article),
        ("faq", "常见问题", Kind::Faq),
    ]
    .into_iter()
    .map(|(id, name, kind)| Column {
        id: id.to_string(),
        name: name.to_string(),
        kind,
    })
    .collect()
}

/// Split a base URL into (url without trailing slash, host, path).
fn split_base_url(url: &str) -> Option<(String, String, String)> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
    if host.is_empty() || host.contains(['"', '<', '>', ' ']) || path.contains(['"', '<', '>', ' '])
    {
        return None;
    }
    let path = if path.is_empty() {
        String::new()
    } else {
        format!("/{path}")
    };
    Some((url.to_string(), host.to_string(), path))
}

/// 1-based line and character column of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut offset = offset;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_default_has_the_standard_columns() {
        let config = Config::parse("site.toml", DEFAULT_SITE_TOML).unwrap();
        assert_eq!(config.columns.len(), 7);
        assert!(config.districts.is_empty());
        assert_eq!(config.base_path, "");
    }

    #[test]
    fn unknown_key_is_an_error_with_line_and_column() {
        let err = Config::parse("site.toml", "title = \"a\"\n\ntitel = \"b\"\n").unwrap_err();
        let Error::Content(diags) = err else { panic!() };
        assert_eq!((diags[0].line, diags[0].column), (3, 1));
        assert!(diags[0].message.contains("titel"), "{}", diags[0].message);
    }

    #[test]
    fn base_url_path_is_kept() {
        let config = Config::parse("site.toml", "base_url = \"https://a.gov.cn/gk/\"\n").unwrap();
        assert_eq!(config.base_url, "https://a.gov.cn/gk");
        assert_eq!(config.base_path, "/gk");
        assert_eq!(config.domain, "a.gov.cn");
    }

    #[test]
    fn traditional_phrases_are_read_in_key_order() {
        let text = "[traditional_phrases]\n\"岳麓区\" = \"岳麓區\"\n\"信息\" = \"資訊\"\n";
        let config = Config::parse("site.toml", text).unwrap();
        let phrase = |k: &str, v: &str| (k.to_string(), v.to_string());
        assert_eq!(
            config.traditional_phrases,
            [phrase("信息", "資訊"), phrase("岳麓区", "岳麓區")]
        );
    }

    #[test]
    fn too_many_traditional_phrases_are_an_error() {
        let mut text = "title = \"x\"\n[traditional_phrases]\n".to_string();
        for c in ('\u{4E00}'..).take(crate::hant::MOST_SITE_PHRASES + 1) {
            text.push_str(&format!("\"{c}{c}\" = \"x\"\n"));
        }
        let Err(Error::Content(diags)) = Config::parse("site.toml", &text) else {
            panic!("accepted")
        };
        let too_many = diags.iter().find(|d| d.message.contains("最多 10000 条"));
        assert_eq!(too_many.map(|d| (d.line, d.column)), Some((2, 1)));
    }

    #[test]
    fn bad_column_kind_names_the_allowed_words() {
        let err =
            Config::parse("site.toml", "[[column]]\nid = \"x\"\nkind = \"news\"\n").unwrap_err();
        let Error::Content(diags) = err else { panic!() };
        assert_eq!((diags[0].line, diags[0].column), (3, 8));
        assert!(diags[0].message.contains("政策文件 (policy)"));
    }
}
