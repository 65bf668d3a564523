//! A finding of the inspection checks: what a 政府网站 inspector would
//! find, with a stable code, the indicator it counts against (grouped as
//! 《政府网站与政务新媒体检查指标》 groups them), whether it fails the site
//! outright (单项否决), the file or setting it concerns, the item it is
//! about, and a plain Chinese sentence saying what to do.

use super::links::{LinkFinding, LinkProblem, site_path};
use crate::diag::{Diagnostic, Severity};
use serde::Serialize;

/// The indicators findings count against, in the order of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Indicator {
    /// 网站可用性: links that lead nowhere.
    Availability,
    /// 信息更新情况: blank and stale columns, the home page.
    Updates,
    /// 互动回应情况: a channel for questions and suggestions.
    Interaction,
    /// 办事服务情况: service guides with every element.
    Services,
    /// 政府信息公开: the 条例's deadlines, topics, guide, annual report.
    Disclosure,
    /// 网站标识与基本信息: identity settings and the site's address.
    Identity,
}

impl Indicator {
    /// Every indicator, in report order.
    pub const ALL: [Indicator; 6] = [
        Indicator::Availability,
        Indicator::Updates,
        Indicator::Interaction,
        Indicator::Services,
        Indicator::Disclosure,
        Indicator::Identity,
    ];

    /// The name inspectors use.
    pub fn label(self) -> &'static str {
        match self {
            Indicator::Availability => "网站可用性",
            Indicator::Updates => "信息更新情况",
            Indicator::Interaction => "互动回应情况",
            Indicator::Services => "办事服务情况",
            Indicator::Disclosure => "政府信息公开",
            Indicator::Identity => "网站标识与基本信息",
        }
    }

    /// A stable key for JSON and page anchors.
    pub fn key(self) -> &'static str {
        match self {
            Indicator::Availability => "availability",
            Indicator::Updates => "updates",
            Indicator::Interaction => "interaction",
            Indicator::Services => "services",
            Indicator::Disclosure => "disclosure",
            Indicator::Identity => "identity",
        }
    }
}

/// The kinds of finding, each with a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A declared column with no published item.
    BlankColumn,
    /// A column without a new item within its period.
    StaleColumn,
    /// No new item on the home page within its period.
    StaleHome,
    /// `base_url` still the starter's example address.
    PlaceholderBaseUrl,
    /// A district still with the starter's division code.
    StarterDistrictCode,
    /// An identity setting missing (主办单位, ICP备案号, 公安机关备案号,
    /// 网站标识码, 党政机关网站标识).
    MissingIdentity,
    /// A setting of the 政府信息公开指南 missing.
    MissingGuideSetting,
    /// No 咨询建言 channel (12345 or a 留言 address).
    NoConsultationChannel,
    /// A service guide without an element the national guide requires.
    ServiceGuideElement,
    /// A policy published more than 20 working days after its 成文日期.
    LatePolicy,
    /// A 主题分类 not on the 国务院 list.
    TopicNotListed,
    /// Last year's 年度报告 missing after its deadline.
    AnnualReportMissing,
    /// A link to a page or attachment of the site that does not exist.
    BrokenLink,
    /// A link to an anchor its page does not have.
    BrokenAnchor,
    /// An `http:` link from an `https:` site.
    InsecureLink,
    /// A `javascript:` link.
    ScriptLink,
    /// A root-relative link outside the site's base path.
    LinkOutsideBase,
}

impl Code {
    /// The stable code printed in messages, JSON and the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::BlankColumn => "blank-column",
            Code::StaleColumn => "stale-column",
            Code::StaleHome => "stale-home",
            Code::PlaceholderBaseUrl => "placeholder-base-url",
            Code::StarterDistrictCode => "starter-district-code",
            Code::MissingIdentity => "missing-identity",
            Code::MissingGuideSetting => "missing-guide-setting",
            Code::NoConsultationChannel => "no-consultation-channel",
            Code::ServiceGuideElement => "service-guide-element",
            Code::LatePolicy => "late-policy",
            Code::TopicNotListed => "topic-not-listed",
            Code::AnnualReportMissing => "annual-report-missing",
            Code::BrokenLink => "broken-link",
            Code::BrokenAnchor => "broken-anchor",
            Code::InsecureLink => "insecure-link",
            Code::ScriptLink => "script-link",
            Code::LinkOutsideBase => "link-outside-base",
        }
    }

    /// A short Chinese name, for headings.
    pub fn title(self) -> &'static str {
        match self {
            Code::BlankColumn => "空白栏目",
            Code::StaleColumn => "栏目长期未更新",
            Code::StaleHome => "首页长期未更新",
            Code::PlaceholderBaseUrl => "网址仍是示例地址",
            Code::StarterDistrictCode => "区划代码仍是示例值",
            Code::MissingIdentity => "网站标识信息缺失",
            Code::MissingGuideSetting => "公开指南信息缺失",
            Code::NoConsultationChannel => "没有咨询建言渠道",
            Code::ServiceGuideElement => "办事指南要素缺失",
            Code::LatePolicy => "政策文件公开超过20个工作日",
            Code::TopicNotListed => "主题分类不在国务院分类中",
            Code::AnnualReportMissing => "年度报告未按时发布",
            Code::BrokenLink => "不可用链接",
            Code::BrokenAnchor => "链接的页面位置不存在",
            Code::InsecureLink => "http 链接",
            Code::ScriptLink => "脚本链接",
            Code::LinkOutsideBase => "链接在网站路径之外",
        }
    }

    /// The indicator it counts against.
    pub fn indicator(self) -> Indicator {
        match self {
            Code::BrokenLink
            | Code::BrokenAnchor
            | Code::InsecureLink
            | Code::ScriptLink
            | Code::LinkOutsideBase => Indicator::Availability,
            Code::BlankColumn | Code::StaleColumn | Code::StaleHome => Indicator::Updates,
            Code::NoConsultationChannel => Indicator::Interaction,
            Code::ServiceGuideElement => Indicator::Services,
            Code::MissingGuideSetting
            | Code::LatePolicy
            | Code::TopicNotListed
            | Code::AnnualReportMissing => Indicator::Disclosure,
            Code::PlaceholderBaseUrl | Code::StarterDistrictCode | Code::MissingIdentity => {
                Indicator::Identity
            }
        }
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One finding of the inspection checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What kind of finding.
    pub code: Code,
    /// 单项否决: the inspection would fail the site for it (for some
    /// codes only past a count, such as five blank columns).
    pub veto: bool,
    /// The file concerned, relative to the site root: a content file,
    /// `site.toml`, or a built page under the output directory.
    pub path: String,
    /// 1-based line (1 when the finding has no line of its own).
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// The setting or front-matter field concerned, if any.
    pub setting: Option<String>,
    /// The address of the item or page concerned, if any.
    pub item_url: Option<String>,
    /// The title of the item concerned, if any.
    pub item_title: Option<String>,
    /// What an inspector would find and what to do, in plain Chinese.
    pub message: String,
}

impl Finding {
    /// A finding at `path:1:1` with nothing else set.
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Finding {
        Finding {
            code,
            veto: false,
            path: path.into(),
            line: 1,
            column: 1,
            setting: None,
            item_url: None,
            item_title: None,
            message: message.into(),
        }
    }

    /// The indicator it counts against.
    pub fn indicator(&self) -> Indicator {
        self.code.indicator()
    }

    /// The finding as a warning of `check` and `build`, with its code; a
    /// 单项否决 says so first.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let message = if self.veto {
            format!("（单项否决）{}", self.message)
        } else {
            self.message.clone()
        };
        let mut d = Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(&self.path, self.line, self.column, message)
        }
        .with_code(self.code.as_str());
        d.field = self.setting.clone();
        d
    }

    /// The finding for a bad link of a built page. `output` is the output
    /// directory as shown to the publisher (`public`), `base_path` the
    /// site's base path (`""` or `/gk`).
    pub fn from_link(link: &LinkFinding, output: &str, base_path: &str) -> Finding {
        let target = &link.target;
        let (code, message) = match &link.problem {
            LinkProblem::Missing => (
                Code::BrokenLink,
                format!(
                    "链接指向本站不存在的页面或附件“{target}”，检查时会记为不可用链接：请改正链接，或恢复被删除的页面（已发布的条目请标为已撤销，不要删除）"
                ),
            ),
            LinkProblem::MissingAnchor { anchor } => (
                Code::BrokenAnchor,
                format!(
                    "链接指向“{target}”页面上的“#{anchor}”，但该页面没有这个位置：标题改名后，请同时改正链接中 # 后面的部分"
                ),
            ),
            LinkProblem::OutsideBase => (
                Code::LinkOutsideBase,
                format!(
                    "站内链接“{target}”不在本站路径 {base_path}/ 之下，网站部署后会打不开：请在链接前加上 {base_path}"
                ),
            ),
            LinkProblem::Insecure => (
                Code::InsecureLink,
                format!(
                    "本站使用 https，链接“{target}”却使用 http，浏览器会提示不安全：请改为 https 地址"
                ),
            ),
            LinkProblem::Script => (
                Code::ScriptLink,
                format!("“{target}”是脚本链接，政府网站页面不应含有：请改为普通网址"),
            ),
        };
        Finding {
            line: link.line as usize,
            column: link.column as usize,
            setting: None,
            item_url: Some(site_path(base_path, &link.page)),
            ..Finding::new(code, format!("{output}/{}", link.page), message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::links::Attr;

    #[test]
    fn codes_are_distinct_and_every_indicator_has_one() {
        let codes = [
            Code::BlankColumn,
            Code::StaleColumn,
            Code::StaleHome,
            Code::PlaceholderBaseUrl,
            Code::StarterDistrictCode,
            Code::MissingIdentity,
            Code::MissingGuideSetting,
            Code::NoConsultationChannel,
            Code::ServiceGuideElement,
            Code::LatePolicy,
            Code::TopicNotListed,
            Code::AnnualReportMissing,
            Code::BrokenLink,
            Code::BrokenAnchor,
            Code::InsecureLink,
            Code::ScriptLink,
            Code::LinkOutsideBase,
        ];
        let mut names: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), codes.len());
        for indicator in Indicator::ALL {
            assert!(
                codes.iter().any(|c| c.indicator() == indicator),
                "{indicator:?}"
            );
        }
    }

    #[test]
    fn a_veto_finding_becomes_a_coded_warning_that_says_so() {
        let finding = Finding {
            veto: true,
            setting: Some("column".into()),
            ..Finding::new(
                Code::BlankColumn,
                "site.toml",
                "栏目“通知公告”没有已发布的条目",
            )
        };
        let d = finding.to_diagnostic();
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(
            d.to_string(),
            "site.toml:1:1: 警告[blank-column]: column: （单项否决）栏目“通知公告”没有已发布的条目"
        );
    }

    #[test]
    fn link_findings_point_at_the_built_page() {
        let link = LinkFinding {
            page: "zh-hant/a/index.html".into(),
            line: 12,
            column: 30,
            attr: Attr::Href,
            problem: LinkProblem::Missing,
            target: "/gk/zh-hant/b/".into(),
        };
        let finding = Finding::from_link(&link, "public", "/gk");
        assert_eq!(finding.code, Code::BrokenLink);
        assert_eq!(finding.path, "public/zh-hant/a/index.html");
        assert_eq!((finding.line, finding.column), (12, 30));
        assert_eq!(finding.item_url.as_deref(), Some("/gk/zh-hant/a/"));
        assert!(finding.message.contains("“/gk/zh-hant/b/”"));
        assert_eq!(finding.indicator(), Indicator::Availability);
    }
}
