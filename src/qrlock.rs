//! `qr.lock`: the register of every short code ever issued (DESIGN §6), so a
//! QR code printed on a notice never leads to a 404. One line per code,
//! `CODE index_no id`, sorted by code; `#` starts a comment.

use crate::content::identity;
use crate::content::library::Library;
use crate::diag::Diagnostic;
use std::collections::BTreeMap;

/// File name of the register, at the site root.
pub const FILE: &str = "qr.lock";

/// One issued code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The 8-character short code.
    pub code: String,
    /// The 索引号 it was derived from.
    pub index_no: String,
    /// The item id when it was last recorded (informational).
    pub id: String,
    /// Line in qr.lock.
    pub line: usize,
}

/// Parse the register; malformed lines are diagnostics.
pub fn parse(text: &str) -> (Vec<Entry>, Vec<Diagnostic>) {
    let mut entries = Vec::new();
    let mut diags = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (Some(code), Some(index_no), Some(id), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            let message = "qr.lock 的每一行应为“短码 索引号 条目id”三项，以空格分隔";
            diags.push(Diagnostic::error(FILE, i + 1, 1, message));
            continue;
        };
        match identity::normalise_short_code(code) {
            Some(code) => entries.push(Entry {
                code,
                index_no: index_no.to_string(),
                id: id.to_string(),
                line: i + 1,
            }),
            None => diags.push(Diagnostic::error(
                FILE,
                i + 1,
                1,
                format!("“{code}”不是有效的短码（8 位字母数字）"),
            )),
        }
    }
    (entries, diags)
}

/// The outcome of comparing the register with the site.
#[derive(Debug, Default)]
pub struct Reconciled {
    /// The register as it should now read.
    pub text: String,
    /// Whether `text` differs from what was read.
    pub changed: bool,
    /// Codes issued by this build.
    pub added: Vec<String>,
    /// Problems: locked codes that no longer lead to a published item.
    pub diags: Vec<Diagnostic>,
}

/// Compare the register with the site: every locked code must still lead to
/// a published or scheduled item; every published or scheduled item's code
/// is recorded (a scheduled item is registered before its day, so the build
/// on that day has nothing new to record and `--locked` passes). A site
/// that is not `live` yet (crate::golive) registers nothing: the register
/// is only checked.
pub fn reconcile(old_text: &str, library: &Library, live: bool) -> Reconciled {
    let (entries, mut diags) = parse(old_text);
    let today = library.today;
    let issued: BTreeMap<&str, usize> = library
        .items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.published || (!i.common.draft && i.common.date > today))
        .map(|(n, i)| (i.short_code.as_str(), n))
        .collect();
    let all: BTreeMap<&str, usize> = library
        .items
        .iter()
        .enumerate()
        .map(|(n, i)| (i.short_code.as_str(), n))
        .collect();
    let mut register: BTreeMap<String, (String, String)> = BTreeMap::new();
    for entry in &entries {
        if !issued.contains_key(entry.code.as_str()) {
            let mut diag = missing_item(
                entry,
                library,
                all.get(entry.code.as_str()).map(|&n| &library.items[n]),
            );
            if !live {
                diag.message.push_str(
                    "。（网站还没有上线：若这个短码是上线前登记的、从未印在二维码上，可以删掉 qr.lock 的这一行）",
                );
            }
            diags.push(diag);
        }
        register.insert(
            entry.code.clone(),
            (entry.index_no.clone(), entry.id.clone()),
        );
    }
    let before = register.clone();
    let mut added = Vec::new();
    for (code, &n) in issued.iter().filter(|_| live) {
        let item = &library.items[n];
        let record = (item.index_no.clone(), item.id.clone());
        if register.insert(code.to_string(), record).is_none() {
            added.push(code.to_string());
        }
    }
    let changed = register != before;
    Reconciled {
        text: if changed {
            render(old_text, &register)
        } else {
            old_text.to_string()
        },
        changed,
        added,
        diags,
    }
}

fn missing_item(
    entry: &Entry,
    library: &Library,
    unpublished: Option<&crate::content::library::Item>,
) -> Diagnostic {
    // The same item with the same 索引号 under another code: what changed is
    // the district's identity code, which every code of it derives from.
    let recoded = library
        .items
        .binary_search_by(|i| i.id.as_str().cmp(&entry.id))
        .ok()
        .map(|n| &library.items[n])
        .filter(|i| i.index_no == entry.index_no && i.short_code != entry.code);
    let message = match (unpublished, recoded) {
        (None, Some(item)) => format!(
            "短码 {}（索引号 {}）已印在二维码上，但条目 {} 的短码变了：索引号没有变，变的是区县 {} 的代码             （短码由 site.toml 中该区县的 code 生成，code 为空时用 org_code）。网站上线后不能再改：请把它改回印二维码时的值",
            entry.code, entry.index_no, item.source, library.districts[item.district].id
        ),
        (unpublished, _) => missing_message(entry, unpublished),
    };
    Diagnostic::error(FILE, entry.line, 1, message)
}

fn missing_message(entry: &Entry, unpublished: Option<&crate::content::library::Item>) -> String {
    match unpublished {
        Some(item) => format!(
            "短码 {}（索引号 {}）已印在二维码上，但条目 {} 现在是草稿：扫码会打不开。请取消草稿；要下线请标记 withdrawn: true（已撤销）",
            entry.code, entry.index_no, item.source
        ),
        None => format!(
            "短码 {}（索引号 {}，原条目 {}）已印在二维码上，但找不到对应条目：扫码会打不开。\
             请恢复该条目并标记 withdrawn: true（已撤销），不要删除；\
             若只是改名或移动了文件，请在文件头写上原索引号 索引号: \"{}\"",
            entry.code, entry.index_no, entry.id, entry.index_no
        ),
    }
}

/// The register's text: the comment lines of the old file (or a header for a
/// new one), then one line per code.
fn render(old_text: &str, register: &BTreeMap<String, (String, String)>) -> String {
    let comments: Vec<&str> = old_text
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .collect();
    let mut text = if comments.is_empty() {
        String::from(
            "# gongkai qr.lock：已发放的全部二维码短码（短码 索引号 条目id），按短码排序。\n\
             # 请提交到版本库，不要手工删除行：印出去的二维码必须一直能打开。\n",
        )
    } else {
        comments.iter().map(|l| format!("{l}\n")).collect()
    };
    for (code, (index_no, id)) in register {
        text.push_str(&format!("{code} {index_no} {id}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_comments() {
        let (entries, diags) = parse(
            "# 注释\nABCDEFGH X/2023-00001 a/b/c\n\nbad line\n0000000O X/1 a/b/d # 行尾注释\n",
        );
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].code, "00000000");
        assert_eq!(entries[1].line, 5);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, 4);
    }
}
