//! A member's export as typed data (docs/open-data.md): `api/site.json`
//! and `api/items.json` parsed into [`SiteInfo`] and [`ExportItem`]s. The
//! checks against the portal's configuration and the whole read are in
//! [`super::check`]; the search text is read by [`super::search_text`].
//!
//! A reader of major version [`super::contract::MAJOR`] reads every export
//! of that major version: fields it does not know are ignored (no
//! `deny_unknown_fields` here, unlike the site's own configuration), and a
//! value of an enumerated field it does not know becomes
//! [`Term::Unknown`]. An export of another major version, or one without a
//! version, is refused before its fields are looked at
//! ([`super::format::check_version`]).

use super::contract;
use super::format::{ExportError, Version, check_version, malformed};
use super::search_text::SearchSource;
use crate::content::fields::Word;
use crate::content::words::{DocType, ItemType, Kind, Level, Validity};
use crate::date::Date;
use serde::{Deserialize, Deserializer};

/// A value of an enumerated field: one this build knows, or one added by
/// a later minor version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term<T> {
    /// A value of the vocabulary this build knows.
    Known(T),
    /// Any other value, as written.
    Unknown(String),
}

impl<T: Copy> Term<T> {
    /// The known value, if it is one.
    pub fn known(&self) -> Option<T> {
        match self {
            Term::Known(value) => Some(*value),
            Term::Unknown(_) => None,
        }
    }
}

impl<'de, T: Word> Deserialize<'de> for Term<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ok(T::WORDS
            .iter()
            .find(|(_, en, _)| *en == text)
            .map_or(Term::Unknown(text), |(value, _, _)| Term::Known(*value)))
    }
}

/// `api/site.json`: the member site as it describes itself.
#[derive(Debug, Clone, Deserialize)]
pub struct SiteInfo {
    /// Format version of the file.
    pub format: Version,
    /// The site's title.
    pub name: String,
    /// Absolute URL of the site's root, without a trailing slash.
    pub base_url: String,
    /// Page language (`zh-CN`).
    #[serde(default)]
    pub language: String,
    /// The day the export was built.
    #[serde(deserialize_with = "date")]
    pub generated: Date,
    /// Identity of the site (网站标识码 …).
    #[serde(default)]
    pub identity: Identity,
    /// Number of published items in `items.json`.
    pub items: usize,
    /// The site's districts.
    #[serde(default)]
    pub districts: Vec<DistrictInfo>,
    /// Where the other export files are, relative to the site's root.
    pub files: Files,
}

/// Identity fields of a site; absent ones are `None`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Identity {
    /// 网站标识码.
    #[serde(default)]
    pub site_id_code: Option<String>,
}

/// A district of a member site.
#[derive(Debug, Clone, Deserialize)]
pub struct DistrictInfo {
    /// Folder id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Administrative division code.
    #[serde(default)]
    pub code: Option<String>,
    /// Organisation code used in 索引号.
    #[serde(default)]
    pub org_code: Option<String>,
    /// Number of its published items.
    #[serde(default)]
    pub items: usize,
    /// Its own `items.json`, relative to the site's root.
    #[serde(default)]
    pub items_file: Option<String>,
}

/// The export files named by `site.json`, relative to the site's root.
#[derive(Debug, Clone, Deserialize)]
pub struct Files {
    /// `api/items.json`.
    pub items: String,
    /// `api/search.jsonl.gz`.
    pub search: String,
}

/// One published item of a member (a record of `api/items.json`).
#[derive(Debug, Clone, Deserialize)]
pub struct ExportItem {
    /// `<district>/<column>/<slug>`, unique in the member.
    pub id: String,
    /// The kind of item.
    pub kind: Term<Kind>,
    /// 标题.
    pub title: String,
    /// Absolute URL of the item page (inside the member's `base_url`).
    pub url: String,
    /// District id.
    pub district: String,
    /// District display name.
    pub district_name: String,
    /// Column id.
    pub column: String,
    /// Column display name.
    pub column_name: String,
    /// 发布日期.
    #[serde(deserialize_with = "date")]
    pub date: Date,
    /// 更新日期.
    #[serde(default, deserialize_with = "optional_date")]
    pub updated: Option<Date>,
    /// 索引号 (unique in its member, not across members).
    pub index_no: String,
    /// Short code of the item's QR link.
    pub short_code: String,
    /// The QR code's link.
    pub short_url: String,
    /// 主题分类.
    #[serde(default)]
    pub topic: Option<String>,
    /// 主题词.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// 摘要.
    #[serde(default)]
    pub summary: Option<String>,
    /// 已撤销.
    #[serde(default)]
    pub withdrawn: bool,
    /// Policy fields, for `kind: policy`.
    #[serde(default)]
    pub policy: Option<PolicyInfo>,
    /// Service guide fields, for `kind: service`.
    #[serde(default)]
    pub service: Option<ServiceInfo>,
    /// For an interpretation: the id of the policy it explains.
    #[serde(default)]
    pub interprets: Option<String>,
}

/// The policy fields of an item.
#[derive(Debug, Clone, Deserialize)]
pub struct PolicyInfo {
    /// 文号.
    #[serde(default)]
    pub doc_number: Option<String>,
    /// 发文机关.
    pub issuer: String,
    /// 成文日期.
    #[serde(default, deserialize_with = "optional_date")]
    pub written: Option<Date>,
    /// 文件类型.
    #[serde(default)]
    pub doc_type: Option<Term<DocType>>,
    /// 有效性 on the day the export was built.
    pub validity: Term<Validity>,
    /// 失效日期.
    #[serde(default, deserialize_with = "optional_date")]
    pub expires: Option<Date>,
}

/// The service guide fields of an item.
#[derive(Debug, Clone, Deserialize)]
pub struct ServiceInfo {
    /// 事项类型.
    pub item_type: Term<ItemType>,
    /// 事项编码.
    #[serde(default)]
    pub item_code: Option<String>,
    /// 办理层级.
    #[serde(default)]
    pub levels: Vec<Term<Level>>,
    /// 实施主体.
    #[serde(default)]
    pub department: Option<String>,
    /// 法定时限 in working days.
    #[serde(default)]
    pub legal_days: Option<u32>,
    /// 承诺时限 in working days.
    #[serde(default)]
    pub promised_days: Option<u32>,
    /// 收费; `None` means 不收费.
    #[serde(default)]
    pub fee: Option<String>,
    /// The printable 一次性告知单.
    pub print_url: String,
}

/// A member's export, read and checked.
#[derive(Debug)]
pub struct Export {
    /// `api/site.json`.
    pub site: SiteInfo,
    /// `api/items.json`, sorted by id.
    pub items: Vec<ExportItem>,
    /// `api/search.jsonl.gz`, read on demand (it is the largest file).
    pub search: SearchSource,
}

/// Parse `api/site.json`.
pub fn parse_site(bytes: &[u8]) -> Result<SiteInfo, ExportError> {
    check_version(contract::SITE_FILE, bytes)?;
    serde_json::from_slice(bytes).map_err(|e| malformed(contract::SITE_FILE, &e))
}

/// Parse an `items.json` (`file` names it in messages).
pub fn parse_items(file: &str, bytes: &[u8]) -> Result<Vec<ExportItem>, ExportError> {
    #[derive(Deserialize)]
    struct ItemsFile {
        items: Vec<ExportItem>,
    }
    check_version(file, bytes)?;
    let parsed: ItemsFile = serde_json::from_slice(bytes).map_err(|e| malformed(file, &e))?;
    Ok(parsed.items)
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let text = String::deserialize(d)?;
    Date::parse(&text)
        .ok_or_else(|| serde::de::Error::custom(format!("日期“{text}”不是 YYYY-MM-DD")))
}

fn optional_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) => Date::parse(&text)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("日期“{text}”不是 YYYY-MM-DD"))),
    }
}
