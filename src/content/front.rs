//! Front matter by kind (DESIGN §3): the typed fields of an item, read from
//! its YAML with every key's Chinese alias.

use super::fields::{FieldSpec, Pos, Reader, spec};
use super::words::*;
use super::yaml::{Node, Value};
use crate::date::{Date, DateTime};
use crate::diag::{Diagnostic, Severity};

const COMMON: &[FieldSpec] = &[
    spec("title", "标题"),
    spec("date", "发布日期"),
    spec("updated", "更新日期"),
    spec("summary", "摘要"),
    spec("slug", "slug"),
    spec("index_no", "索引号"),
    spec("topic", "主题分类"),
    spec("keywords", "主题词"),
    spec("draft", "草稿"),
    spec("aliases", "旧地址"),
    spec("attachments", "附件"),
    spec("withdrawn", "已撤销"),
];

const POLICY: &[FieldSpec] = &[
    spec("doc_number", "文号"),
    spec("issuer", "发文机关"),
    spec("written", "成文日期"),
    spec("doc_type", "文件类型"),
    spec("validity", "有效性"),
    spec("expires", "失效日期"),
    spec("replaced_by", "替代文件"),
    spec("disclosure", "公开方式"),
];

const INTERPRETATION: &[FieldSpec] = &[spec("interprets", "解读对象"), spec("form", "形式")];

const SERVICE: &[FieldSpec] = &[
    spec("item_type", "事项类型"),
    spec("item_code", "事项编码"),
    spec("case_type", "办件类型"),
    spec("levels", "办理层级"),
    spec("department", "实施主体"),
    spec("legal_days", "法定时限"),
    spec("promised_days", "承诺时限"),
    spec("fee", "收费"),
    spec("materials", "申请材料"),
    spec("conditions", "受理条件"),
    spec("online_url", "网上办理"),
    spec("visits", "跑动次数"),
    spec("address", "办理地点"),
    spec("hours", "办理时间"),
    spec("phone", "咨询电话"),
    spec("complaint_phone", "监督电话"),
    spec("basis", "设定依据"),
    spec("video", "视频指南"),
    spec("bundle", "一件事"),
];

const ARTICLE: &[FieldSpec] = &[spec("source", "信息来源"), spec("event", "活动")];
const FAQ: &[FieldSpec] = &[spec("related", "相关事项")];

const MATERIAL: &[FieldSpec] = &[
    spec("name", "名称"),
    spec("copies", "份数"),
    spec("form", "形式"),
    spec("source", "来源"),
    spec("note", "备注"),
];
const ATTACHMENT: &[FieldSpec] = &[spec("title", "标题"), spec("file", "文件")];
const EVENT: &[FieldSpec] = &[
    spec("start", "开始时间"),
    spec("place", "地点"),
    spec("url", "直播地址"),
    spec("replay", "回放"),
];

/// Fields whose value is a list.
const LIST_FIELDS: &[&str] = &[
    "keywords",
    "aliases",
    "attachments",
    "materials",
    "levels",
    "bundle",
    "related",
];

fn every_spec() -> impl Iterator<Item = &'static FieldSpec> {
    [
        COMMON,
        POLICY,
        INTERPRETATION,
        SERVICE,
        ARTICLE,
        FAQ,
        MATERIAL,
        ATTACHMENT,
        EVENT,
    ]
    .into_iter()
    .flatten()
}

/// Whether `key` is the English name or the Chinese alias of a field of
/// any kind, nested fields (of a material, an attachment, an event) included.
pub fn is_field_key(key: &str) -> bool {
    every_spec().any(|s| s.name == key || s.alias == key)
}

/// Whether `key` names a field whose value is a list.
pub fn is_list_field(key: &str) -> bool {
    every_spec().any(|s| (s.name == key || s.alias == key) && LIST_FIELDS.contains(&s.name))
}

/// The fields every kind has.
#[derive(Debug, Clone, Default)]
pub struct Common {
    /// 标题.
    pub title: String,
    /// 发布日期.
    pub date: Date,
    /// 更新日期.
    pub updated: Option<Date>,
    /// 摘要.
    pub summary: Option<String>,
    /// Explicit slug.
    pub slug: Option<Pos<String>>,
    /// 索引号 as written.
    pub index_no: Option<Pos<String>>,
    /// 主题分类.
    pub topic: Option<String>,
    /// 主题词.
    pub keywords: Vec<String>,
    /// 草稿.
    pub draft: bool,
    /// 旧地址: old URLs that redirect here.
    pub aliases: Vec<Pos<String>>,
    /// 附件.
    pub attachments: Vec<Attachment>,
    /// 已撤销.
    pub withdrawn: Option<Withdrawn>,
}

/// 已撤销: `true`, or the date it was withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withdrawn {
    /// Withdrawn, date not given.
    Yes,
    /// Withdrawn on this date.
    On(Date),
}

/// A file attached to a bundle.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// 标题 shown as the link text.
    pub title: String,
    /// 文件, relative to the bundle folder.
    pub file: Pos<String>,
}

/// A reference to another item by id (`<district>/<column>/<slug>` or `<column>/<slug>`).
#[derive(Debug, Clone)]
pub struct Reference {
    /// The field it came from (English name).
    pub field: &'static str,
    /// As written, with its position.
    pub written: Pos<String>,
}

/// 政策文件.
#[derive(Debug, Clone)]
pub struct Policy {
    /// 文号.
    pub doc_number: Option<String>,
    /// 发文机关.
    pub issuer: String,
    /// 成文日期.
    pub written: Option<Date>,
    /// 文件类型.
    pub doc_type: Option<DocType>,
    /// 有效性.
    pub validity: Option<Validity>,
    /// 失效日期.
    pub expires: Option<Pos<Date>>,
    /// 替代文件.
    pub replaced_by: Option<Reference>,
    /// 公开方式.
    pub disclosure: Option<Disclosure>,
}

/// 政策解读.
#[derive(Debug, Clone)]
pub struct Interpretation {
    /// 解读对象 (absent only in a draft not yet filled in).
    pub interprets: Option<Reference>,
    /// 形式.
    pub form: Option<Form>,
}

/// One application material.
#[derive(Debug, Clone, Default)]
pub struct Material {
    /// 名称.
    pub name: String,
    /// 份数.
    pub copies: Option<u32>,
    /// 形式.
    pub form: Option<MaterialForm>,
    /// 来源.
    pub source: Option<String>,
    /// 备注.
    pub note: Option<String>,
}

/// 办事指南.
#[derive(Debug, Clone)]
pub struct Service {
    /// 事项类型.
    pub item_type: ItemType,
    /// 事项编码.
    pub item_code: Option<String>,
    /// 办件类型.
    pub case_type: Option<CaseType>,
    /// 办理层级.
    pub levels: Vec<Level>,
    /// 实施主体.
    pub department: Option<String>,
    /// 法定时限 (working days).
    pub legal_days: Option<u32>,
    /// 承诺时限 (working days).
    pub promised_days: Option<u32>,
    /// 收费.
    pub fee: Option<String>,
    /// 申请材料.
    pub materials: Vec<Material>,
    /// 受理条件.
    pub conditions: Option<String>,
    /// 网上办理.
    pub online_url: Option<String>,
    /// 跑动次数.
    pub visits: Option<u32>,
    /// 办理地点.
    pub address: Option<String>,
    /// 办理时间.
    pub hours: Option<String>,
    /// 咨询电话.
    pub phone: Option<String>,
    /// 监督电话.
    pub complaint_phone: Option<String>,
    /// 设定依据.
    pub basis: Option<String>,
    /// 视频指南.
    pub video: Option<String>,
    /// 一件事: the services this one bundles.
    pub bundle: Vec<Reference>,
}

/// A livestream or meeting notice.
#[derive(Debug, Clone)]
pub struct Event {
    /// 开始时间.
    pub start: DateTime,
    /// 地点.
    pub place: Option<String>,
    /// 直播地址.
    pub url: Option<String>,
    /// 回放.
    pub replay: Option<String>,
}

/// 栏目文章.
#[derive(Debug, Clone)]
pub struct Article {
    /// 信息来源.
    pub source: Option<String>,
    /// 活动.
    pub event: Option<Event>,
}

/// 问答知识库.
#[derive(Debug, Clone)]
pub struct Faq {
    /// 相关事项.
    pub related: Vec<Reference>,
}

/// The kind-specific fields.
#[derive(Debug, Clone)]
pub enum KindFields {
    /// 政策文件.
    Policy(Policy),
    /// 政策解读.
    Interpretation(Interpretation),
    /// 办事指南.
    Service(Box<Service>),
    /// 栏目文章.
    Article(Article),
    /// 问答知识库.
    Faq(Faq),
}

impl KindFields {
    /// The kind.
    pub fn kind(&self) -> Kind {
        match self {
            KindFields::Policy(_) => Kind::Policy,
            KindFields::Interpretation(_) => Kind::Interpretation,
            KindFields::Service(_) => Kind::Service,
            KindFields::Article(_) => Kind::Article,
            KindFields::Faq(_) => Kind::Faq,
        }
    }

    /// Every reference this item makes.
    pub fn references(&self) -> Vec<&Reference> {
        match self {
            KindFields::Policy(p) => p.replaced_by.iter().collect(),
            KindFields::Interpretation(i) => i.interprets.iter().collect(),
            KindFields::Service(s) => s.bundle.iter().collect(),
            KindFields::Article(_) => Vec::new(),
            KindFields::Faq(f) => f.related.iter().collect(),
        }
    }
}

/// Front matter of one item, as far as it could be read. A required field
/// missing or wrong leaves an empty value (or, for a service's 事项类型,
/// 其他) in its place, so a draft can be loaded; its problem is reported.
pub struct FrontMatter {
    /// Common fields.
    pub common: Common,
    /// Kind fields.
    pub kind: KindFields,
}

/// The problems of a front matter.
#[derive(Debug, Default)]
pub struct Problems {
    /// Errors whatever the item's state.
    pub errors: Vec<Diagnostic>,
    /// Required fields missing or empty: errors, except in a draft that is
    /// not being published, where they are warnings.
    pub missing: Vec<Diagnostic>,
}

impl Problems {
    /// All problems as diagnostics; `draft_kept_back`: the item is a draft
    /// this build does not publish, so its missing fields are warnings.
    pub fn into_diagnostics(self, draft_kept_back: bool) -> Vec<Diagnostic> {
        let mut out = self.errors;
        out.extend(self.missing.into_iter().map(|d| {
            if draft_kept_back {
                Diagnostic {
                    severity: Severity::Warning,
                    message: format!(
                        "{}：草稿可以暂时不填，发布（draft: false）前必须填写",
                        d.message
                    ),
                    ..d
                }
            } else {
                d
            }
        }));
        out
    }
}

/// The allowed keys of a kind, common ones first.
pub fn specs_for(kind: Kind) -> Vec<FieldSpec> {
    let extra = match kind {
        Kind::Policy => POLICY,
        Kind::Interpretation => INTERPRETATION,
        Kind::Service => SERVICE,
        Kind::Article => ARTICLE,
        Kind::Faq => FAQ,
    };
    COMMON.iter().chain(extra).copied().collect()
}

/// Read an item's front matter. Problems are returned alongside whatever
/// could be read; the caller treats any error as fatal for the build.
pub fn read(path: &str, line_offset: usize, root: &Node, kind: Kind) -> (FrontMatter, Problems) {
    let specs = specs_for(kind);
    let mut r = Reader::new(path, line_offset, root, &specs);
    let common = read_common(&mut r, &specs);
    let kind = match kind {
        Kind::Policy => KindFields::Policy(read_policy(&mut r, &specs)),
        Kind::Interpretation => KindFields::Interpretation(read_interpretation(&mut r, &specs)),
        Kind::Service => KindFields::Service(Box::new(read_service(&mut r, &specs))),
        Kind::Article => KindFields::Article(read_article(&mut r)),
        Kind::Faq => KindFields::Faq(Faq {
            related: references(&mut r, "related"),
        }),
    };
    let (errors, missing) = r.finish_apart();
    (FrontMatter { common, kind }, Problems { errors, missing })
}

fn read_common(r: &mut Reader, specs: &[FieldSpec]) -> Common {
    let title = r.required("title", specs, |r| r.text("title"));
    let date = r.required("date", specs, |r| r.date("date"));
    Common {
        title: title.unwrap_or_default(),
        date: date.unwrap_or_default(),
        updated: r.date("updated"),
        summary: r.text("summary"),
        slug: r.text_pos("slug"),
        index_no: r.text_pos("index_no"),
        topic: r.text("topic"),
        keywords: split_keywords(r.text_list("keywords")),
        draft: r.boolean("draft").unwrap_or(false),
        aliases: r.text_list("aliases"),
        attachments: read_attachments(r),
        withdrawn: read_withdrawn(r),
    }
}

/// Keywords as a list; a single text like `不动产, 登记` or `不动产，登记`
/// is split at commas, 、 and semicolons, as editors write them.
fn split_keywords(written: Vec<Pos<String>>) -> Vec<String> {
    written
        .into_iter()
        .flat_map(|p| {
            p.value
                .split([',', '，', '、', ';', '；'])
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn read_withdrawn(r: &mut Reader) -> Option<Withdrawn> {
    let (key, node) = r.take("withdrawn")?;
    if let Value::Str(text) = &node.value
        && let Some(date) = Date::parse(text.trim())
    {
        return Some(Withdrawn::On(date));
    }
    let text = node.value.as_text().unwrap_or_default();
    if !matches!(node.value, Value::Bool(_)) && super::dates::looks_like_date(&text) {
        let message = super::dates::invalid_date_message(&text, false);
        r.error_at(node, Some(&key), message);
        return None;
    }
    match &node.value {
        Value::Bool(_) | Value::Str(_) => r
            .boolean_of(&key, node)
            .and_then(|b| b.then_some(Withdrawn::Yes)),
        other => {
            let message = format!(
                "应为 true、false 或撤销日期（YYYY-MM-DD），实际是{}",
                other.type_name()
            );
            r.error_at(node, Some(&key), message);
            None
        }
    }
}

fn read_attachments(r: &mut Reader) -> Vec<Attachment> {
    let Some((key, nodes)) = r.list("attachments") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for node in nodes {
        if let Value::Str(file) = &node.value {
            let (line, column) = r.position(node);
            let file = Pos {
                value: file.trim().to_string(),
                line,
                column,
            };
            out.push(Attachment {
                title: file.value.clone(),
                file,
            });
            continue;
        }
        let mut sub = Reader::nested(r, node, ATTACHMENT);
        let title = sub.text("title");
        let file = sub.required("file", ATTACHMENT, |s| s.text_pos("file"));
        r.absorb(sub);
        if let Some(file) = file {
            out.push(Attachment {
                title: title.unwrap_or_else(|| file.value.clone()),
                file,
            });
        } else if !matches!(node.value, Value::Map(_)) {
            r.error_at(
                node,
                Some(&key),
                "每个附件应写成 {title: 标题, file: 文件名}".to_string(),
            );
        }
    }
    out
}

fn references(r: &mut Reader, field: &'static str) -> Vec<Reference> {
    r.text_list(field)
        .into_iter()
        .map(|written| Reference { field, written })
        .collect()
}

fn read_policy(r: &mut Reader, specs: &[FieldSpec]) -> Policy {
    let issuer = r.required("issuer", specs, |r| r.text("issuer"));
    let doc_number = r.text("doc_number");
    let written = r.date("written");
    let doc_type = r.word("doc_type");
    let validity = r.word("validity");
    let expires = r.take("expires").and_then(|(key, node)| {
        let (line, column) = r.position(node);
        r.date_of(&key, node).map(|value| Pos {
            value,
            line,
            column,
        })
    });
    let replaced_by = r.text_pos("replaced_by").map(|written| Reference {
        field: "replaced_by",
        written,
    });
    let disclosure = r.word("disclosure");
    Policy {
        doc_number,
        issuer: issuer.unwrap_or_default(),
        written,
        doc_type,
        validity,
        expires,
        replaced_by,
        disclosure,
    }
}

fn read_interpretation(r: &mut Reader, specs: &[FieldSpec]) -> Interpretation {
    let interprets = r.required("interprets", specs, |r| r.text_pos("interprets"));
    Interpretation {
        interprets: interprets.map(|written| Reference {
            field: "interprets",
            written,
        }),
        form: r.word("form"),
    }
}

fn read_service(r: &mut Reader, specs: &[FieldSpec]) -> Service {
    let item_type = r.required("item_type", specs, |r| r.word("item_type"));
    let levels = match r.list("levels") {
        Some((key, nodes)) => nodes
            .into_iter()
            .filter_map(|n| r.word_of::<Level>(&key, n))
            .collect(),
        None => Vec::new(),
    };
    Service {
        item_code: r.text("item_code"),
        case_type: r.word("case_type"),
        levels,
        department: r.text("department"),
        legal_days: r.whole("legal_days"),
        promised_days: r.whole("promised_days"),
        fee: r.text("fee"),
        materials: read_materials(r),
        conditions: r.text("conditions"),
        online_url: r.text("online_url"),
        visits: r.whole("visits"),
        address: r.text("address"),
        hours: r.text("hours"),
        phone: r.text("phone"),
        complaint_phone: r.text("complaint_phone"),
        basis: r.text("basis"),
        video: r.text("video"),
        bundle: references(r, "bundle"),
        item_type: item_type.unwrap_or(ItemType::Other),
    }
}

fn read_materials(r: &mut Reader) -> Vec<Material> {
    let Some((key, nodes)) = r.list("materials") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for node in nodes {
        if let Value::Map(_) = node.value {
            let mut sub = Reader::nested(r, node, MATERIAL);
            let name = sub.required("name", MATERIAL, |s| s.text("name"));
            let material = Material {
                name: name.unwrap_or_default(),
                copies: sub.whole("copies"),
                form: sub.word("form"),
                source: sub.text("source"),
                note: sub.text("note"),
            };
            r.absorb(sub);
            out.push(material);
        } else if let Some(name) = r.text_of(&key, node) {
            out.push(Material {
                name,
                ..Material::default()
            });
        }
    }
    out
}

fn read_article(r: &mut Reader) -> Article {
    let source = r.text("source");
    let event = r.take("event").and_then(|(key, node)| {
        if !matches!(node.value, Value::Map(_)) {
            let message = "活动应写成 {start: 开始时间, place: 地点, url: 直播地址, replay: 回放}"
                .to_string();
            r.error_at(node, Some(&key), message);
            return None;
        }
        let mut sub = Reader::nested(r, node, EVENT);
        let start = sub.required("start", EVENT, |s| s.datetime("start"));
        let event = Event {
            start: start.unwrap_or(DateTime {
                date: Date::default(),
                time: None,
            }),
            place: sub.text("place"),
            url: sub.text("url"),
            replay: sub.text("replay"),
        };
        let failed = !sub.diags.is_empty() || !sub.missing.is_empty();
        r.absorb(sub);
        (!failed).then_some(event)
    });
    Article { source, event }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml;

    fn keywords(yaml_text: &str) -> Vec<String> {
        let node = yaml::parse(yaml_text).unwrap();
        let (front, problems) = read("a.md", 1, &node, Kind::Article);
        assert!(problems.errors.is_empty() && problems.missing.is_empty());
        front.common.keywords
    }

    #[test]
    fn keywords_written_as_one_text_are_split() {
        let base = "title: t\ndate: 2024-01-01\n";
        assert_eq!(
            keywords(&format!("{base}keywords: 不动产, 登记\n")),
            ["不动产", "登记"]
        );
        assert_eq!(
            keywords(&format!("{base}主题词: [不动产，登记、交易]\n")),
            ["不动产", "登记", "交易"]
        );
        assert_eq!(keywords(&format!("{base}keywords: [a, b]\n")), ["a", "b"]);
    }

    #[test]
    fn phone_numbers_keep_their_leading_zero() {
        let node =
            yaml::parse("title: t\ndate: 2024-01-01\nitem_type: license\nphone: 07348356427\n")
                .unwrap();
        let (front, _) = read("a.md", 1, &node, Kind::Service);
        let KindFields::Service(s) = front.kind else {
            panic!()
        };
        assert_eq!(s.phone.as_deref(), Some("07348356427"));
    }
}
