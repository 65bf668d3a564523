//! Front-matter text to a positioned YAML tree, with every syntax problem
//! as a Chinese diagnostic at its file line and column.
//!
//! The line scan ([`super::scan`]) reports the editors' mistakes it knows
//! and repairs them; the parser then reads the repaired text, so a file
//! with a full-width colon on line 2 and a bad date on line 5 gets both
//! messages. When the parser still fails, its error is explained in
//! Chinese (its English text follows, for experts), unless the scan has
//! already pinned down the problem that caused it.

use super::scan::{self, Finding, Scan};
use super::yaml::{self, Node, SyntaxError, Value};
use crate::diag::Diagnostic;

/// Parse the front matter `text` of the file `path`, whose first line is
/// file line `first_line`. Returns the tree when the text could be read
/// (possibly after repairs, which are reported as errors) and the problems.
pub fn parse_front(path: &str, text: &str, first_line: usize) -> (Option<Node>, Vec<Diagnostic>) {
    let found = scan::scan(text);
    let at =
        |f: &Finding| Diagnostic::error(path, f.line + first_line - 1, f.column, f.message.clone());
    let mut diags: Vec<Diagnostic> = found.definite.iter().map(at).collect();
    match yaml::parse(&found.repaired) {
        Ok(mut root) => {
            if !found.definite.is_empty() {
                remap(&mut root, &found);
            }
            (Some(root), diags)
        }
        Err(e) => {
            let consequence = found.definite.iter().any(|f| f.line == e.line);
            if !consequence && (found.definite.is_empty() || !found.guessed) {
                let hints: Vec<&Finding> =
                    found.layout.iter().filter(|h| h.line <= e.line).collect();
                if hints.is_empty() {
                    let column = found.original_column(e.line, e.column);
                    let line = e.line + first_line - 1;
                    diags.push(Diagnostic::error(path, line, column, explain(&e)));
                } else {
                    diags.extend(hints.into_iter().map(at));
                }
            }
            (None, diags)
        }
    }
}

/// Give the nodes of a tree parsed from repaired text their original columns.
fn remap(node: &mut Node, found: &Scan) {
    node.column = found.original_column(node.line, node.column);
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| remap(n, found)),
        Value::Map(pairs) => pairs.iter_mut().for_each(|(k, v)| {
            remap(k, found);
            remap(v, found);
        }),
        _ => {}
    }
}

/// A parser error in Chinese, with the fix; the parser's own words follow.
pub fn explain(e: &SyntaxError) -> String {
    let m = e.message.as_str();
    let has = |part: &str| m.contains(part);
    let text = if has("unclosed quote") {
        "引号没有配对：值从这里的英文引号开始，却没有结束的引号。请在值的末尾补上同样的引号，或者去掉这个引号"
    } else if has("escape") {
        "英文双引号里的反斜杠“\\”有特殊含义：值里要写反斜杠时请写成两个“\\\\”，或者把整个值改用英文单引号括起来"
    } else if has("trailing content after") {
        "引号在这里之前已经结束，后面的文字无法识别：值里面要用引号时，请用中文引号“”"
    } else if has("mapping values are not allowed") || has("illegal placement of ':'") {
        "这里的“: ”（半角冒号加空格）不能出现在这个位置：如果它在值里，请把整个值用英文双引号括起来，或者改用全角冒号“：”；如果这一行是新的字段，请检查上一行的引号、括号和这一行的缩进"
    } else if has("tab") {
        "这里用了 Tab 键：文件头只能用空格缩进和分隔，请把 Tab 换成空格"
    } else if has("did not find expected '-'") || has("invalid indentation") {
        "缩进对不齐：同一层的字段要左端对齐，列表的每一项以“- ”开头且左端对齐"
    } else if has("simple key") || has("did not find expected key") || has("expected ':'") {
        "这一行应写成“字段: 值”：字段名后面要有半角冒号和一个空格；列表的一项要以“- ”开头"
    } else if has("unknown anchor") {
        "值不能以“*”开头（在 YAML 里会被当作引用）：请把整个值用英文双引号括起来"
    } else if has("unexpected character") || has("tag") || has("anchor or alias") {
        "值不能以 * & ! @ ` % 等符号开头（它们在 YAML 里有特殊含义）：请把整个值用英文双引号括起来"
    } else if has("bracket") || has("flow sequence") || has("flow mapping") {
        "括号没有配对：列表写成 [甲, 乙]，各项用半角逗号分隔，最后以“]”结束；值里有方括号或花括号时，请把整个值用英文双引号括起来"
    } else if has("recursion") || has("depth") || has("nesting") {
        "嵌套层数太多：文件头里的列表和键值表最多嵌套几层，请检查括号和缩进"
    } else if has("block scalar") {
        "多行文字（以 | 或 > 开头）的写法不对：下面各行要比字段名多缩进，且只能用空格"
    } else {
        "文件头的这一行（或上一行）不符合 YAML 的写法：请检查字段名后是否是半角冒号加空格、缩进是否只用空格且同一层左端对齐、引号和括号是否成对"
    };
    format!("文件头格式错误：{text}（解析器原文：{m}）")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(usize, usize, String)> {
        let (_, diags) = parse_front("a.md", text, 2);
        diags
            .into_iter()
            .map(|d| (d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn repaired_text_keeps_original_columns() {
        let (root, diags) = parse_front("a.md", "标题：测试\ndate: 2024-01-01\n", 2);
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column), (2, 3));
        let Value::Map(pairs) = root.unwrap().value else {
            panic!()
        };
        // 测 is the fourth character of the line.
        assert_eq!((pairs[0].1.line, pairs[0].1.column), (1, 4));
    }

    #[test]
    fn parser_errors_left_are_explained_in_chinese_at_their_place() {
        let got = problems("title: a\nsummary: \"D:\\资料\\a\"\n");
        assert_eq!((got.len(), got[0].0, got[0].1), (1, 3, 10), "{got:?}");
        assert!(
            got[0].2.starts_with("文件头格式错误：英文双引号里的反斜杠"),
            "{got:?}"
        );
        assert!(got[0].2.ends_with(
            "（解析器原文：while parsing a quoted scalar, found unknown escape character）"
        ));
        let got = problems("title: a\n- date: 2024-01-01\n");
        assert_eq!((got[0].0, got[0].1), (3, 1), "{got:?}");
        assert!(got[0].2.starts_with("这一行以“- ”开头"), "{got:?}");
    }

    #[test]
    fn no_parser_message_is_shown_alone() {
        for text in [
            "title: [a, b\n  c: d\n",
            "a: b\n---\nc\n",
            "a: b\nc\n",
            "a: !!int x\n",
        ] {
            let got = problems(text);
            assert!(!got.is_empty(), "{text:?}");
            for (_, _, message) in got {
                let first = message.chars().next().unwrap();
                assert!(!first.is_ascii(), "{text:?}: {message}");
            }
        }
    }
}
