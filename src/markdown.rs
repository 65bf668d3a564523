//! Markdown to HTML for editors' text: CommonMark with tables, footnotes,
//! strikethrough, task lists and heading ids, made safe (raw HTML escaped,
//! script URLs removed) and made to understand Chinese bold.
//!
//! CommonMark's flanking rules refuse `**注意：**正文` and `这是**“重要”**通知`
//! as emphasis because the delimiter run sits between full-width punctuation
//! and a letter. A pre-pass puts an invisible private-use marker between such
//! a run and the punctuation, which makes the run flanking; the marker is
//! removed again from every event before HTML is written.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Invisible marker inserted by the pre-pass (a private-use character, which
/// CommonMark counts neither as white space nor as punctuation).
const MARK: char = '\u{E000}';

/// A heading of the rendered text, for tables of contents and FAQ questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The `id` attribute (anchor).
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

/// Rendered Markdown.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// Safe HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
}

/// Render Markdown. Raw HTML is escaped unless `unsafe_html`.
pub fn render(markdown: &str, unsafe_html: bool) -> Rendered {
    crate::timings::span(crate::timings::Span::Markdown, || {
        render_untimed(markdown, unsafe_html)
    })
}

fn render_untimed(markdown: &str, unsafe_html: bool) -> Rendered {
    let source = fix_cjk_emphasis(markdown);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut events: Vec<Event> = Parser::new_ext(&source, options)
        .map(|event| clean_event(event, unsafe_html))
        .collect();
    let headings = assign_heading_ids(&mut events);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, wrap_tables(events).into_iter());
    Rendered { html, headings }
}

fn strip_mark(text: CowStr) -> CowStr {
    if text.contains(MARK) {
        CowStr::from(text.replace(MARK, ""))
    } else {
        text
    }
}

fn clean_event(event: Event, unsafe_html: bool) -> Event {
    match event {
        Event::Text(t) => Event::Text(strip_mark(t)),
        Event::Code(t) => Event::Code(strip_mark(t)),
        Event::Html(t) | Event::InlineHtml(t) if !unsafe_html => Event::Text(strip_mark(t)),
        Event::Html(t) => Event::Html(strip_mark(t)),
        Event::InlineHtml(t) => Event::InlineHtml(strip_mark(t)),
        Event::InlineMath(t) => Event::Text(strip_mark(t)),
        Event::DisplayMath(t) => Event::Text(strip_mark(t)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title: strip_mark(title),
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title: strip_mark(title),
            id,
        }),
        other => other,
    }
}

/// Keep a link target only if its scheme is harmless (http, https, mailto,
/// tel, or none); anything else (`javascript:`, `data:`, `vbscript:` …) becomes `#`.
pub fn safe_url(url: CowStr) -> CowStr {
    let url = strip_mark(url);
    if is_safe_url(&url) {
        url
    } else {
        CowStr::from("#")
    }
}

/// Whether a URL is safe to put in `href`/`src`.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let Some(colon) = cleaned.find(':') else {
        return true;
    };
    if cleaned[..colon].contains(['/', '?', '#']) {
        return true; // a relative path that happens to contain ':'
    }
    matches!(&cleaned[..colon], "http" | "https" | "mailto" | "tel")
}

fn assign_heading_ids(events: &mut [Event]) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut used: Vec<String> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, .. }) = &events[i] {
            let level = heading_level(*level);
            let end = (i..events.len())
                .find(|&j| matches!(events[j], Event::End(TagEnd::Heading(_))))
                .unwrap_or(events.len());
            let text: String = events[i + 1..end]
                .iter()
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                let wanted = id.as_ref().map_or_else(|| anchor(&text), |s| s.to_string());
                let unique = unique_anchor(&wanted, &mut used);
                *id = Some(CowStr::from(unique.clone()));
                headings.push(Heading {
                    level,
                    id: unique,
                    text: text.trim().to_string(),
                });
            }
            i = end;
        }
        i += 1;
    }
    headings
}

/// Put every table in the theme's `.table-wrap`: a box that scrolls
/// sideways, so a wide table never widens the page, and that keyboard
/// users can focus (a labelled region) to scroll it.
fn wrap_tables(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::Table(_))))
    {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut tables = 0;
    for event in events {
        match event {
            Event::Start(Tag::Table(_)) => {
                tables += 1;
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"正文表格 {tables}\">\n"
                ))));
                out.push(event);
            }
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            event => out.push(event),
        }
    }
    out
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// An anchor for a heading: Chinese and letters kept, punctuation dropped,
/// spaces as `-`, ASCII lower-cased.
pub fn anchor(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !out.ends_with('-')
            && !out.is_empty()
        {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

fn unique_anchor(wanted: &str, used: &mut Vec<String>) -> String {
    let mut candidate = wanted.to_string();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = format!("{wanted}-{n}");
        n += 1;
    }
    used.push(candidate.clone());
    candidate
}

/// Insert [`MARK`] where a `*` run touches punctuation on one side and a
/// letter on the other, with Chinese involved, so CommonMark sees it as an
/// emphasis delimiter.
pub fn fix_cjk_emphasis(text: &str) -> std::borrow::Cow<'_, str> {
    // Byte offsets where a marker goes; most texts need none and are borrowed.
    let mut inserts: Vec<usize> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(offset) = memchr::memchr(b'*', &bytes[i..]) {
        let start = i + offset;
        let mut end = start;
        while end < bytes.len() && bytes[end] == b'*' {
            end += 1;
        }
        let prev = text[..start].chars().next_back();
        let next = text[end..].chars().next();
        let (before, after) = marks_for(prev, next);
        if before {
            inserts.push(start);
        }
        if after {
            inserts.push(end);
        }
        i = end;
    }
    if inserts.is_empty() && !text.contains(MARK) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + inserts.len() * 3);
    let mut last = 0;
    for at in inserts {
        out.push_str(&text[last..at]);
        out.push(MARK);
        last = at;
    }
    out.push_str(&text[last..]);
    // A marker the editor typed would be removed from the output anyway.
    std::borrow::Cow::Owned(out)
}

/// Where a run between `prev` and `next` needs a marker: (before, after).
fn marks_for(prev: Option<char>, next: Option<char>) -> (bool, bool) {
    let (Some(p), Some(n)) = (prev, next) else {
        return (false, false);
    };
    let letter = |c: char| !c.is_whitespace() && !is_punctuation(c);
    let chinese = is_cjk(p) || is_cjk(n);
    // Closing run after punctuation, followed by a letter: `：**正文`.
    let before = chinese && is_punctuation(p) && letter(n);
    // Opening run after a letter, followed by punctuation: `是**“重要`.
    let after = chinese && letter(p) && is_punctuation(n);
    (before, after)
}

/// CommonMark's idea of punctuation, for the characters Chinese text uses.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32,
            0xA1..=0xBF | 0xD7 | 0xF7
            | 0x2010..=0x2027 | 0x2030..=0x205E
            | 0x3001..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x301F | 0x3030 | 0x303D | 0x30FB
            | 0xFE10..=0xFE19 | 0xFE30..=0xFE6B
            | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

/// Han characters, kana, hangul, CJK and full-width punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2018..=0x201F | 0x2026 | 0x2014
        | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x3134F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        render(md, false).html
    }

    #[test]
    fn chinese_bold_next_to_full_width_punctuation() {
        let cases = [
            (
                "**注意：**请携带身份证原件",
                "<strong>注意：</strong>请携带身份证原件",
            ),
            ("这是**“重要”**通知", "这是<strong>“重要”</strong>通知"),
            (
                "（一）**乡村振兴。**坚持以人民为中心",
                "（一）<strong>乡村振兴。</strong>坚持以人民为中心",
            ),
            (
                "推行**“一件事一次办”**改革",
                "推行<strong>“一件事一次办”</strong>改革",
            ),
            (
                "**办理时限：**5个工作日",
                "<strong>办理时限：</strong>5个工作日",
            ),
            (
                "请于**2023年6月30日前（含）**提交",
                "请于<strong>2023年6月30日前（含）</strong>提交",
            ),
            (
                "实行**《告知承诺书》**制度",
                "实行<strong>《告知承诺书》</strong>制度",
            ),
            ("**一是**加强分析研判", "<strong>一是</strong>加强分析研判"),
            (
                "材料**齐全、**符合法定形式",
                "材料<strong>齐全、</strong>符合法定形式",
            ),
            ("*提示：*网上办理更便捷", "<em>提示：</em>网上办理更便捷"),
            (
                "**咨询电话：**0730-8888123；**监督电话：**12345",
                "<strong>咨询电话：</strong>0730-8888123；<strong>监督电话：</strong>12345",
            ),
            ("群众“**最多跑一次**”", "群众“<strong>最多跑一次</strong>”"),
        ];
        for (md, want) in cases {
            let got = html(md);
            assert!(got.contains(want), "{md}\n got: {got}");
            assert!(!got.contains('*'), "{md}\n got: {got}");
            assert!(!got.contains(MARK), "{md}");
        }
    }

    #[test]
    fn markers_never_reach_code() {
        let got = html("`：**a` 与\n\n```\n注意：**正文\n```\n");
        assert!(got.contains("<code>：**a</code>"), "{got}");
        assert!(got.contains("注意：**正文"), "{got}");
        assert!(!got.contains(MARK));
    }

    #[test]
    fn english_emphasis_is_untouched() {
        assert_eq!(html("a *b* c"), "<p>a <em>b</em> c</p>\n");
        assert_eq!(html("5*3*2"), "<p>5<em>3</em>2</p>\n");
    }

    #[test]
    fn raw_html_is_escaped_and_script_links_removed() {
        let got = html(
            "<script>alert(1)</script>\n\n[点我](javascript:alert(1)) [x](JaVaScRiPt:1) ![i](data:image/svg+xml,1)\n\n<img src=x onerror=alert(1)>",
        );
        assert!(!got.contains("<script"), "{got}");
        assert!(!got.contains("<img src=x"), "{got}");
        assert!(!got.to_lowercase().contains("javascript:"), "{got}");
        assert!(!got.contains("data:"), "{got}");
        assert!(got.contains("&lt;script&gt;"), "{got}");
    }

    #[test]
    fn unsafe_html_keeps_raw_html() {
        assert!(render("<b>粗</b>", true).html.contains("<b>粗</b>"));
    }

    #[test]
    fn headings_get_unique_chinese_ids() {
        let r = render(
            "## 如何办理？\n\n## 如何办理？\n\n### Step One {#custom}\n",
            false,
        );
        let ids: Vec<&str> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, vec!["如何办理", "如何办理-1", "custom"]);
        assert!(
            r.html.contains("<h2 id=\"如何办理\">如何办理？</h2>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn extensions_are_on_and_smart_punctuation_off() {
        let got = html(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~删~~\n\n- [x] 完成\n\n脚注[^1]\n\n[^1]: 说明\n\n\"引号\" -- ...",
        );
        assert!(got.contains("<table>"));
        assert!(got.contains("<del>删</del>"));
        assert!(got.contains("footnote"));
        assert!(got.contains("checkbox"), "{got}");
        assert!(got.contains("\"引号\" -- ..."), "{got}");
    }

    #[test]
    fn tables_scroll_in_a_labelled_box() {
        let got = html("| a | b |\n|---|---|\n| 1 | 2 |\n\n文字\n\n| c |\n|---|\n| 3 |\n");
        let first = got.find("aria-label=\"正文表格 1\"").expect(&got);
        let second = got.find("aria-label=\"正文表格 2\"").expect(&got);
        assert!(
            first < got.find("<table>").unwrap() && second > got.find("文字").unwrap(),
            "{got}"
        );
        assert_eq!(
            got.matches("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\"")
                .count(),
            2,
            "{got}"
        );
        assert_eq!(got.matches("</table>\n</div>").count(), 2, "{got}");
        assert!(!html("| 不是表格").contains("table-wrap"));
    }

    #[test]
    fn safe_url_rules() {
        for ok in [
            "https://a.cn",
            "/a/b",
            "./a:b",
            "mailto:x@y.cn",
            "tel:12345",
            "#x",
            "../x",
        ] {
            assert!(is_safe_url(ok), "{ok}");
        }
        for bad in [
            "javascript:x",
            " java\tscript:x",
            "vbscript:x",
            "data:text/html,1",
            "file:///etc",
        ] {
            assert!(!is_safe_url(bad), "{bad}");
        }
    }
}
