use super::*;
use crate::content::yaml;

/// (line, column) of the definite findings, and whether the repaired text parses.
fn definite(text: &str) -> (Vec<(usize, usize)>, bool) {
    let s = scan(text);
    let at = s.definite.iter().map(|f| (f.line, f.column)).collect();
    (at, yaml::parse(&s.repaired).is_ok())
}

fn messages(text: &str) -> Vec<String> {
    scan(text).definite.into_iter().map(|f| f.message).collect()
}

fn layout(text: &str) -> Vec<(usize, usize)> {
    scan(text)
        .layout
        .iter()
        .map(|f| (f.line, f.column))
        .collect()
}

#[test]
fn full_width_colons_on_any_line_are_found_and_repaired() {
    assert_eq!(
        definite("标题：测试\ndate: 2023-01-01\n"),
        (vec![(1, 3)], true)
    );
    assert_eq!(
        definite("title: a\n标题：测试\ndate: 2023-01-01\n"),
        (vec![(2, 3)], true)
    );
    assert_eq!(
        definite("title: a\ndate: 2023-01-01\n摘要：测试\n"),
        (vec![(3, 3)], true)
    );
    let all = "标题：测试\n摘要：x\n发布日期：2024-01-01\n";
    assert_eq!(definite(all), (vec![(1, 3), (2, 3), (3, 5)], true));
    assert!(messages("标题：测试\n")[0].contains("请改为半角冒号加一个空格，写成“标题: …”"));
    // Nested keys too; a list item's own text keeps its colon.
    let nested = "title: 关于：通知\nmaterials:\n  - 身份证：原件\n  - 名称：户口本\n";
    assert_eq!(definite(nested), (vec![(4, 7)], true));
    assert_eq!(
        definite("event:\n  开始时间：2024-06-01 15:00\n  地点: 礼堂\n").0,
        [(2, 7)]
    );
}

#[test]
fn text_that_only_looks_like_a_key_is_left_alone() {
    for text in [
        "title: 很长的\n  标题：续行\ndate: 2024-01-01\n",
        "title: a # 注释：x\n# 标题：注释\n",
        "summary: |\n  标题：测试\n  a: b\ntitle: x\n",
        "aliases:\n  - https://x.cn/a\n",
        "title: \"a\n  b：c\"\ndate: 2024-06-07\n",
        "materials:\n- a\n- b\ntitle: x\n",
        "keywords: [a,\n  b]\ntitle: x\n",
        "attachments:\n  - {标题: 附件一, 文件: a.pdf}\n  - 标题: 附件二\n    文件: b.pdf\n",
        "updated: &d 2024-01-01\ndate: *d\n",
        "summary: >-\n  多行\n\n  　　全角空格开头的段落\ndate: 2024-01-01\n",
        "summary: 第一段\n  　　第二段\n",
        "keywords: !!str 5\n",
        "materials:\n  身份证\n",
    ] {
        let s = scan(text);
        assert!(
            s.definite.is_empty() && s.layout.is_empty(),
            "{text:?}: {s:?}"
        );
        assert_eq!(s.repaired, text);
    }
}

#[test]
fn tabs_are_found_outside_quotes_and_comments() {
    let (at, parses) = definite("title: a\nmaterials:\n  - name: 身份证\n\t份数: 1\n");
    assert_eq!((at, parses), (vec![(4, 1)], true));
    assert!(scan("materials:\n\t- a\n").guessed);
    assert_eq!(
        definite("title:\ta\nsummary: \"a\tb\" # c\td\n"),
        (vec![(1, 7)], true)
    );
    assert!(messages("title:\ta\n")[0].starts_with("字段名和值之间用了 Tab 键"));
    assert_eq!(definite("title: 关于\t通知\n").0, [(1, 10)]);
    assert_eq!(definite("summary: |\n  a\n\tb\ntitle: x\n").0, [(3, 1)]);
}

#[test]
fn a_missing_space_after_a_colon_is_found() {
    let text = "title:文件\ndate:2024-01-01\nonline_url:https://x.cn\n";
    assert_eq!(definite(text), (vec![(1, 6), (2, 5), (3, 11)], true));
    assert_eq!(definite("标题:\u{3000}测试\n"), (vec![(1, 4)], true));
    assert_eq!(definite("\u{3000}title: a\n").0, [(1, 1)]);
}

#[test]
fn quotes_left_open_or_closed_early_are_found() {
    assert_eq!(
        definite("title: \"a\ndate: 2024-06-07\n"),
        (vec![(1, 8)], true)
    );
    assert_eq!(definite("title: 'a\n"), (vec![(1, 8)], true));
    let early = "title: \"关于\"通知\"的说明\"\ndate: 2024-06-07\n";
    assert_eq!(definite(early), (vec![(1, 12)], true));
    let s = scan("title: \"关于\"通知\ndate: 2024-06-07\n");
    assert!(s.guessed, "no repair for text after the closing quote");
    assert_eq!(
        definite("keywords: [a, b\ntitle: x\n"),
        (vec![(1, 11)], true)
    );
    assert_eq!(definite("keywords: [a, {b: c\n"), (vec![(1, 11)], true));
}

#[test]
fn list_items_without_a_dash_are_found() {
    assert_eq!(definite("keywords:\n  - a\n  b\n"), (vec![(3, 3)], true));
    assert_eq!(
        definite("materials:\n  身份证\n  户口本\n"),
        (vec![(2, 3), (3, 3)], true)
    );
    assert_eq!(definite("keywords:\n  - a\n  -b\n"), (vec![(3, 3)], true));
    assert_eq!(
        definite("materials:\n  * 身份证\n  * 户口本\n"),
        (vec![(2, 3), (3, 3)], true)
    );
    assert!(messages("materials:\n  身份证\n  户口本\n")[0].starts_with("“materials”是列表"));
}

#[test]
fn values_starting_with_yaml_symbols_are_found() {
    let text = "title: *重要* 通知\nsummary: &x\nsource: @a\ntopic: `b`\nhours: %c\nfee: !d\n";
    let (at, parses) = definite(text);
    assert_eq!(at, [(1, 8), (2, 10), (3, 9), (4, 8), (5, 8), (6, 6)]);
    assert!(parses);
    let m = messages("title: *重要* 通知\n");
    assert!(m[0].contains("写成“title: \"*重要* 通知\"”"), "{m:?}");
}

#[test]
fn colon_and_space_inside_a_value_is_found() {
    let (at, parses) = definite("title: 关于: 不动产\nsummary: a:\n");
    assert_eq!((at, parses), (vec![(1, 10), (2, 11)], true));
}

#[test]
fn indentation_that_does_not_line_up_is_a_hint() {
    assert_eq!(layout("title: a\n date: 2024-06-07\n"), [(2, 2)]);
    assert_eq!(layout("title: a\n- date: 2024-06-07\n"), [(2, 1)]);
    assert!(layout("materials:\n- a\n- b\n").is_empty());
    assert_eq!(
        layout("materials:\n  - name: a\n    copies: 1\n   note: x\n"),
        [(4, 4)]
    );
    let second = "materials:\n  - name: a\n    copies: 1\n  - name: b\n     copies: 2\n";
    assert_eq!(layout(second), [(5, 6)]);
    let m = &scan(second).layout[0].message;
    assert!(m.contains("第 4 行的“name”缩进了 4 个空格"), "{m}");
}

#[test]
fn repaired_columns_map_back() {
    let s = scan("标题：测试\ntitle: *a b\n");
    // `标题: 测试`: the value's first character is column 4 in the file.
    assert_eq!(s.original_column(1, 5), 4);
    assert_eq!(s.original_column(1, 1), 1);
    // `title: "*a b"`: the opening quote stands where `*` stood.
    assert_eq!(s.original_column(2, 8), 8);
    assert_eq!(s.original_column(2, 9), 8);
    assert_eq!(s.original_column(2, 20), 18);
    assert_eq!(s.original_column(3, 5), 5);
}
