//! Typed, serialisable views that templates receive (see docs/theme-guide.md).

use crate::config::Config;
use crate::content::library::{Item, Library};
use serde::Serialize;

/// `site` in every template.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView<'a> {
    /// Site title.
    pub title: &'a str,
    /// Absolute base URL.
    pub base_url: &'a str,
    /// Path prefix of every URL.
    pub base_path: &'a str,
    /// Host name.
    pub domain: &'a str,
    /// Page language.
    pub language: &'a str,
    /// 网站标识码.
    pub site_id_code: &'a str,
}

/// A link with a name.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text shown.
    pub name: String,
    /// Root-relative URL.
    pub url: String,
}

/// `page`: what the `<head>` needs to describe the page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageMeta {
    /// Page title.
    pub title: String,
    /// Root-relative URL.
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Description.
    pub description: String,
    /// Keywords, comma separated.
    pub keywords: String,
    /// Column name.
    pub column_name: String,
    /// Column type (the kind's Chinese name).
    pub column_type: String,
    /// Publish date.
    pub pub_date: String,
    /// Content source.
    pub source: String,
}

/// One item in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Item id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Root-relative URL.
    pub url: String,
    /// Publish date.
    pub date: String,
    /// Kind word.
    pub kind: &'static str,
    /// Kind in Chinese.
    pub kind_label: &'static str,
    /// District name.
    pub district_name: String,
    /// Column name.
    pub column_name: String,
    /// 索引号.
    pub index_no: String,
    /// 文号 (policies).
    pub doc_number: String,
    /// 摘要.
    pub summary: String,
    /// 已撤销.
    pub withdrawn: bool,
    /// 形式 of an interpretation in Chinese (图解 …), else empty.
    pub form_label: &'static str,
}

/// `district` in district, column and item templates.
#[derive(Debug, Clone, Serialize)]
pub struct DistrictView {
    /// Folder id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Division code.
    pub code: String,
    /// Root-relative URL.
    pub url: String,
    /// Summary from `_index.md`.
    pub summary: String,
    /// Intro text from `_index.md`, as HTML.
    pub intro_html: String,
}

/// `column` in column and item templates.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnView {
    /// Folder id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind word.
    pub kind: &'static str,
    /// Kind in Chinese.
    pub kind_label: &'static str,
    /// Root-relative URL.
    pub url: String,
    /// Intro text from `_index.md`, as HTML.
    pub intro_html: String,
}

/// Percent-encode one URL path segment (Chinese slugs stay readable on disk).
pub fn encode_segment(segment: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(segment, SET).to_string()
}

/// Root-relative URL of a path of segments, ending with `/`.
pub fn url_of(base_path: &str, segments: &[&str]) -> String {
    let mut url = String::from(base_path);
    for s in segments {
        url.push('/');
        url.push_str(&encode_segment(s));
    }
    url.push('/');
    url
}

/// Root-relative URL of an item.
pub fn item_url(config: &Config, library: &Library, item: &Item) -> String {
    let district = &library.districts[item.district].id;
    let column = &config.columns[item.column].id;
    url_of(&config.base_path, &[district, column, &item.slug])
}

/// The list entry of an item.
pub fn summary(config: &Config, library: &Library, item: &Item) -> Summary {
    let doc_number = match &item.fields {
        crate::content::front::KindFields::Policy(p) => p.doc_number.clone().unwrap_or_default(),
        _ => String::new(),
    };
    Summary {
        id: item.id.clone(),
        title: item.common.title.clone(),
        url: item_url(config, library, item),
        date: item.common.date.to_string(),
        kind: item.kind().en(),
        kind_label: item.kind().zh(),
        district_name: library.districts[item.district].name.clone(),
        column_name: config.columns[item.column].name.clone(),
        index_no: item.index_no.clone(),
        doc_number,
        summary: item.common.summary.clone().unwrap_or_default(),
        withdrawn: item.common.withdrawn.is_some(),
        form_label: match &item.fields {
            crate::content::front::KindFields::Interpretation(i) => i.form.map_or("", |f| f.zh()),
            _ => "",
        },
    }
}
