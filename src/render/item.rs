//! The item page view: the metadata block of each kind, materials, events,
//! FAQ questions, related items both ways, attachments and the QR code.

use super::escape_html;
use super::views::{Summary, encode_segment, item_url};
use crate::config::Config;
use crate::content::front::{KindFields, Policy, Service, Withdrawn};
use crate::content::library::{Item, Library};
use crate::content::words::{Kind, Validity};
use crate::markdown::{Rendered, is_safe_url};
use serde::Serialize;

/// One row of the metadata block.
#[derive(Debug, Clone, Serialize)]
pub struct MetaRow {
    /// Label, e.g. 索引号.
    pub label: &'static str,
    /// Escaped HTML value (text or a link).
    pub value_html: String,
}

/// A group of related items under a heading.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedGroup {
    /// Heading, e.g. 政策解读.
    pub heading: &'static str,
    /// The items.
    pub items: Vec<Summary>,
}

/// An application material row.
#[derive(Debug, Clone, Serialize)]
pub struct MaterialView {
    /// 名称.
    pub name: String,
    /// 份数 (0 when not given).
    pub copies: u32,
    /// 形式 in Chinese.
    pub form_label: &'static str,
    /// 来源.
    pub source: String,
    /// 备注.
    pub note: String,
}

/// A livestream or meeting notice.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// 开始时间.
    pub start: String,
    /// 地点.
    pub place: String,
    /// 直播地址 (empty unless a safe URL).
    pub url: String,
    /// 回放 (empty unless a safe URL).
    pub replay: String,
}

/// A FAQ question with its anchor.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// Anchor id in the body.
    pub anchor: String,
    /// The question.
    pub question: String,
}

/// An attachment link.
#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    /// Link text.
    pub title: String,
    /// Root-relative URL.
    pub url: String,
    /// File name.
    pub file: String,
}

/// The QR block.
#[derive(Debug, Clone, Serialize)]
pub struct QrView {
    /// Inline SVG.
    pub svg: String,
    /// Absolute short link the code encodes.
    pub short_url: String,
    /// URL of qr.svg.
    pub svg_url: String,
    /// URL of qr.png.
    pub png_url: String,
    /// The short code.
    pub code: String,
}

/// `item` in item.html.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub id: String,
    pub slug: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub form: &'static str,
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub date: String,
    pub updated: String,
    pub summary: String,
    pub index_no: String,
    pub short_code: String,
    pub topic: String,
    pub keywords: Vec<String>,
    pub withdrawn: bool,
    pub withdrawn_note: String,
    pub expired: bool,
    pub meta: Vec<MetaRow>,
    pub body_html: String,
    pub attachments: Vec<AttachmentView>,
    pub related: Vec<RelatedGroup>,
    pub materials: Vec<MaterialView>,
    pub event: Option<EventView>,
    pub questions: Vec<Question>,
    pub qr: QrView,
}

/// Everything the item view needs besides the item itself.
pub struct ItemInputs<'a> {
    /// Site configuration.
    pub config: &'a Config,
    /// All items.
    pub library: &'a Library,
    /// List entries of all items, by index.
    pub summaries: &'a [Summary],
    /// Items linking to each item: (field, source index).
    pub backlinks: &'a [Vec<(&'static str, usize)>],
}

impl ItemInputs<'_> {
    fn published_summary(&self, index: usize) -> Option<Summary> {
        self.library.items[index]
            .published
            .then(|| self.summaries[index].clone())
    }

    fn link(&self, index: usize) -> String {
        let item = &self.library.items[index];
        if item.published {
            format!(
                "<a href=\"{}\">{}</a>",
                self.summaries[index].url,
                escape_html(&item.common.title)
            )
        } else {
            escape_html(&item.common.title)
        }
    }
}

/// Whether a policy is no longer in force today.
pub fn is_expired(policy: &Policy, today: crate::date::Date) -> bool {
    matches!(
        policy.validity,
        Some(Validity::Expired | Validity::Repealed)
    ) || policy.expires.as_ref().is_some_and(|e| e.value < today)
}

/// Build the view of item `index`.
pub fn item_view(inputs: &ItemInputs, index: usize, body: &Rendered, qr: QrView) -> ItemView {
    let item = &inputs.library.items[index];
    let url = item_url(inputs.config, inputs.library, item);
    let expired =
        matches!(&item.fields, KindFields::Policy(p) if is_expired(p, inputs.library.today));
    let questions = match item.kind() {
        Kind::Faq => body
            .headings
            .iter()
            .filter(|h| h.level == 2)
            .map(|h| Question {
                anchor: h.id.clone(),
                question: h.text.clone(),
            })
            .collect(),
        _ => Vec::new(),
    };
    ItemView {
        id: item.id.clone(),
        slug: item.slug.clone(),
        kind: item.kind().en(),
        kind_label: item.kind().zh(),
        form: match &item.fields {
            KindFields::Interpretation(i) => i.form.map_or("", |f| f.en()),
            _ => "",
        },
        title: item.common.title.clone(),
        permalink: format!(
            "{}{}",
            inputs.config.base_url,
            url.strip_prefix(&inputs.config.base_path).unwrap_or(&url)
        ),
        attachments: attachments(
            item,
            &format!(
                "{}{}",
                inputs.config.canonical_path,
                url.strip_prefix(&inputs.config.base_path).unwrap_or(&url)
            ),
        ),
        url,
        date: item.common.date.to_string(),
        updated: item
            .common
            .updated
            .map(|d| d.to_string())
            .unwrap_or_default(),
        summary: item.common.summary.clone().unwrap_or_default(),
        index_no: item.index_no.clone(),
        short_code: item.short_code.clone(),
        topic: item.common.topic.clone().unwrap_or_default(),
        keywords: item.common.keywords.clone(),
        withdrawn: item.common.withdrawn.is_some(),
        withdrawn_note: withdrawn_note(item),
        expired,
        meta: meta_rows(inputs, index, expired),
        body_html: body.html.clone(),
        related: related(inputs, index),
        materials: materials(item),
        event: event(item),
        questions,
        qr,
    }
}

fn withdrawn_note(item: &Item) -> String {
    let noun = if item.kind() == Kind::Service {
        "本事项"
    } else {
        "本文件"
    };
    match item.common.withdrawn {
        Some(Withdrawn::On(date)) => format!("{noun}已于{}撤销，仅保留存档", date.chinese()),
        Some(Withdrawn::Yes) => format!("{noun}已撤销，仅保留存档"),
        None => String::new(),
    }
}

fn attachments(item: &Item, url: &str) -> Vec<AttachmentView> {
    item.common
        .attachments
        .iter()
        .map(|a| AttachmentView {
            title: a.title.clone(),
            url: format!(
                "{url}{}",
                a.file
                    .value
                    .split('/')
                    .map(encode_segment)
                    .collect::<Vec<_>>()
                    .join("/")
            ),
            file: a.file.value.clone(),
        })
        .collect()
}

fn row(rows: &mut Vec<MetaRow>, label: &'static str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        rows.push(MetaRow {
            label,
            value_html: escape_html(v),
        });
    }
}

fn link_row(rows: &mut Vec<MetaRow>, label: &'static str, url: Option<&str>) {
    if let Some(u) = url.filter(|u| !u.is_empty()) {
        let value_html = if is_safe_url(u) && (u.starts_with("http") || u.starts_with('/')) {
            format!("<a href=\"{0}\">{0}</a>", escape_html(u))
        } else {
            escape_html(u)
        };
        rows.push(MetaRow { label, value_html });
    }
}

fn meta_rows(inputs: &ItemInputs, index: usize, expired: bool) -> Vec<MetaRow> {
    let item = &inputs.library.items[index];
    let mut rows = Vec::new();
    row(&mut rows, "索引号", Some(&item.index_no));
    row(&mut rows, "主题分类", item.common.topic.as_deref());
    match &item.fields {
        KindFields::Policy(p) => policy_rows(inputs, item, p, expired, &mut rows),
        KindFields::Interpretation(i) => {
            for (field, target) in &item.links {
                if *field == "interprets" {
                    rows.push(MetaRow {
                        label: "解读对象",
                        value_html: inputs.link(*target),
                    });
                }
            }
            row(&mut rows, "解读形式", i.form.map(|f| f.zh()));
            row(&mut rows, "发布日期", Some(&item.common.date.to_string()));
        }
        KindFields::Service(s) => service_rows(s, &mut rows),
        KindFields::Article(a) => {
            row(&mut rows, "信息来源", a.source.as_deref());
            row(&mut rows, "发布日期", Some(&item.common.date.to_string()));
        }
        KindFields::Faq(_) => row(&mut rows, "发布日期", Some(&item.common.date.to_string())),
    }
    if !item.common.keywords.is_empty() {
        row(&mut rows, "主题词", Some(&item.common.keywords.join("；")));
    }
    rows
}

fn policy_rows(
    inputs: &ItemInputs,
    item: &Item,
    p: &Policy,
    expired: bool,
    rows: &mut Vec<MetaRow>,
) {
    row(rows, "发文机关", Some(&p.issuer));
    row(
        rows,
        "成文日期",
        p.written.map(|d| d.to_string()).as_deref(),
    );
    row(rows, "发布日期", Some(&item.common.date.to_string()));
    row(rows, "文号", p.doc_number.as_deref());
    row(rows, "文件类型", p.doc_type.map(|d| d.zh()));
    let validity = match (p.validity, expired) {
        (Some(v @ (Validity::Expired | Validity::Repealed | Validity::Amended)), _) => v.zh(),
        (_, true) => "失效",
        _ => "有效",
    };
    row(rows, "有效性", Some(validity));
    row(
        rows,
        "失效日期",
        p.expires.as_ref().map(|e| e.value.to_string()).as_deref(),
    );
    row(rows, "公开方式", p.disclosure.map(|d| d.zh()));
    for (field, target) in &item.links {
        if *field == "replaced_by" {
            rows.push(MetaRow {
                label: "替代文件",
                value_html: inputs.link(*target),
            });
        }
    }
}

fn days(n: Option<u32>) -> Option<String> {
    n.map(|d| {
        if d == 0 {
            "即办".to_string()
        } else {
            format!("{d}个工作日")
        }
    })
}

/// 收费 as shown: absent, `0`, 无 or 免费 all read 不收费, never blank.
pub fn fee_text(fee: Option<&str>) -> &str {
    match fee.map(str::trim) {
        None | Some("" | "0" | "0元" | "无" | "免费" | "不收费") => "不收费",
        Some(text) => text,
    }
}

fn service_rows(s: &Service, rows: &mut Vec<MetaRow>) {
    row(rows, "事项类型", Some(s.item_type.zh()));
    row(rows, "事项编码", s.item_code.as_deref());
    row(rows, "办件类型", s.case_type.map(|c| c.zh()));
    let levels: Vec<&str> = s.levels.iter().map(|l| l.zh()).collect();
    row(rows, "办理层级", Some(&levels.join("、")));
    row(rows, "实施主体", s.department.as_deref());
    row(rows, "法定时限", days(s.legal_days).as_deref());
    row(rows, "承诺时限", days(s.promised_days).as_deref());
    row(rows, "收费", Some(fee_text(s.fee.as_deref())));
    row(
        rows,
        "跑动次数",
        s.visits.map(|v| format!("{v}次")).as_deref(),
    );
    row(rows, "受理条件", s.conditions.as_deref());
    row(rows, "办理地点", s.address.as_deref());
    row(rows, "办理时间", s.hours.as_deref());
    row(rows, "咨询电话", s.phone.as_deref());
    row(rows, "监督电话", s.complaint_phone.as_deref());
    link_row(rows, "网上办理", s.online_url.as_deref());
    row(rows, "设定依据", s.basis.as_deref());
    link_row(rows, "视频指南", s.video.as_deref());
}

fn related(inputs: &ItemInputs, index: usize) -> Vec<RelatedGroup> {
    let item = &inputs.library.items[index];
    let forward = |field: &str| -> Vec<Summary> {
        item.links
            .iter()
            .filter(|(f, _)| *f == field)
            .filter_map(|(_, t)| inputs.published_summary(*t))
            .collect()
    };
    let backward = |field: &str| -> Vec<Summary> {
        inputs.backlinks[index]
            .iter()
            .filter(|(f, _)| *f == field)
            .filter_map(|(_, s)| inputs.published_summary(*s))
            .collect()
    };
    let groups = match item.kind() {
        Kind::Policy => vec![
            ("政策解读", backward("interprets")),
            ("本文件替代的文件", backward("replaced_by")),
            ("相关问答", backward("related")),
        ],
        Kind::Interpretation => vec![
            ("解读的政策文件", forward("interprets")),
            ("相关问答", backward("related")),
        ],
        Kind::Service => vec![
            ("一件事包含的事项", forward("bundle")),
            ("所属一件事", backward("bundle")),
            ("相关问答", backward("related")),
        ],
        Kind::Article => vec![("相关问答", backward("related"))],
        Kind::Faq => vec![
            ("相关事项", forward("related")),
            ("相关问答", backward("related")),
        ],
    };
    groups
        .into_iter()
        .filter(|(_, items)| !items.is_empty())
        .map(|(heading, items)| RelatedGroup { heading, items })
        .collect()
}

fn materials(item: &Item) -> Vec<MaterialView> {
    let KindFields::Service(s) = &item.fields else {
        return Vec::new();
    };
    s.materials
        .iter()
        .map(|m| MaterialView {
            name: m.name.clone(),
            copies: m.copies.unwrap_or(0),
            form_label: m.form.map_or("", |f| f.zh()),
            source: m.source.clone().unwrap_or_default(),
            note: m.note.clone().unwrap_or_default(),
        })
        .collect()
}

fn event(item: &Item) -> Option<EventView> {
    let KindFields::Article(a) = &item.fields else {
        return None;
    };
    let safe = |u: &Option<String>| u.clone().filter(|u| is_safe_url(u)).unwrap_or_default();
    a.event.as_ref().map(|e| EventView {
        start: e.start.to_string(),
        place: e.place.clone().unwrap_or_default(),
        url: safe(&e.url),
        replay: safe(&e.replay),
    })
}

#[cfg(test)]
mod tests {
    use super::fee_text;

    #[test]
    fn no_fee_is_never_blank() {
        for none in [None, Some(""), Some("0"), Some(" 免费 "), Some("无")] {
            assert_eq!(fee_text(none), "不收费");
        }
        assert_eq!(fee_text(Some("每件10元")), "每件10元");
    }
}
