//! Warnings: things that do not stop a build but that a disclosure office
//! should fix (an item without 摘要, a policy without 文号, a service without
//! 承诺时限). `check --deny-warnings` turns them into failures.

use super::front::KindFields;
use super::library::Library;
use crate::diag::{Diagnostic, Severity};

/// The warnings of the site: those found while reading items (a draft's
/// empty required fields), and those of every published item.
pub fn warnings(library: &Library) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = library
        .items
        .iter()
        .flat_map(|i| i.warnings.iter().cloned())
        .collect();
    for item in library
        .items
        .iter()
        .filter(|i| i.published && i.common.withdrawn.is_none())
    {
        let mut warn = |field: &str, message: &str| {
            out.push(Diagnostic {
                severity: Severity::Warning,
                ..Diagnostic::error(&item.source, 1, 1, message).with_field(field)
            });
        };
        if item.common.summary.is_none() {
            warn(
                "summary",
                "没有摘要（summary / 摘要）：列表和搜索结果将只显示标题",
            );
        }
        if item.common.index_no.is_none()
            && matches!(item.fields, KindFields::Policy(_) | KindFields::Service(_))
        {
            let message = format!(
                "没有索引号，已自动生成“{}”：文件改名或移动会改变它和二维码。建议在文件头写上 索引号: \"{}\"",
                item.index_no, item.index_no
            );
            warn("index_no", &message);
        }
        match &item.fields {
            KindFields::Policy(p) if p.doc_number.is_none() => {
                warn("doc_number", "政策文件没有文号（doc_number / 文号）");
            }
            KindFields::Service(s) if s.promised_days.is_none() => {
                warn(
                    "promised_days",
                    "办事指南没有承诺时限（promised_days / 承诺时限）",
                );
            }
            _ => {}
        }
    }
    out
}
