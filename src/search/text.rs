//! Plain text of rendered HTML, for indexing and snippets.

/// Tags after which the text of the next element is a new run: a paragraph
/// break must not glue the last character of one paragraph to the first of
/// the next into a pair.
const BREAKING_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "img",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// Elements whose content is not text a reader sees.
const SKIPPED_ELEMENTS: &[&str] = &["script", "style", "template"];

/// Strip tags, decode entities and collapse white space to single spaces.
/// Inline tags (`<strong>`, `<a>` …) join their text to the surrounding text,
/// so `办理<strong>不动产</strong>登记` stays one run of Chinese.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A lone '<' with no end: it is text.
            push_decoded(&mut out, rest);
            rest = "";
            break;
        };
        let name = tag_name(&rest[1..gt]);
        rest = &rest[gt + 1..];
        if is_one_of(name, SKIPPED_ELEMENTS) && !rest.is_empty() {
            let close = format!("</{name}");
            rest = find_ascii_case_insensitive(rest, &close).map_or("", |at| {
                let tail = &rest[at..];
                tail.find('>').map_or("", |g| &tail[g + 1..])
            });
            out.push(' ');
        } else if is_one_of(name, BREAKING_TAGS) {
            out.push(' ');
        }
    }
    push_decoded(&mut out, rest);
    collapse_white_space(&out)
}

/// The lower-case name of a tag from the text between `<` and `>`
/// (`/p` → `p`, `a href=…` → `a`).
fn tag_name(inside: &str) -> &str {
    let name = inside.trim_start_matches('/');
    let end = name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    &name[..end]
}

/// Whether `name` is one of the lower-case names `list`, in any case.
fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.iter().any(|t| t.eq_ignore_ascii_case(name))
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let needle = needle.as_bytes();
    (0..bytes.len().saturating_sub(needle.len() - 1))
        .find(|&i| bytes[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Append `text` with its character references decoded.
fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match decode_entity(rest) {
            Some((c, used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// Decode the reference at the start of `text` (which starts with `&`):
/// the named ones pulldown-cmark and the sanitiser emit, and numeric ones.
fn decode_entity(text: &str) -> Option<(char, usize)> {
    // ';' is ASCII, so slicing at it is safe whatever precedes it.
    let semi = text.bytes().take(12).position(|b| b == b';')?;
    let name = &text[1..semi];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code).filter(|c| *c != '\0')?
        }
    };
    Some((c, semi + 1))
}

fn collapse_white_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    // Kept until the search index is built: no slack.
    out.shrink_to_fit();
    out
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn inline_tags_join_and_block_tags_separate() {
        assert_eq!(
            plain_text("<p>办理<strong>不动产</strong>登记</p><p>第二段</p>"),
            "办理不动产登记 第二段"
        );
        assert_eq!(plain_text("<li>一</li><li>二</li>"), "一 二");
        assert_eq!(plain_text("甲<br>乙<br/>丙"), "甲 乙 丙");
    }

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            plain_text("a &amp; b &lt;script&gt; &quot;x&quot; &#39;y&#x27; &#x4E2D;&#25991;"),
            "a & b <script> \"x\" 'y' 中文"
        );
        assert_eq!(plain_text("AT&T &bogus; &#xZZ; &"), "AT&T &bogus; &#xZZ; &");
    }

    #[test]
    fn white_space_collapses() {
        assert_eq!(plain_text("  <p>一\n\n二\t 三</p>\n "), "一 二 三");
    }

    #[test]
    fn scripts_styles_and_comments_are_dropped() {
        assert_eq!(
            plain_text("前<script>alert('x<y')</script>中<STYLE>p{}</style><!-- 注释 -->后"),
            "前 中 后"
        );
        assert_eq!(plain_text("前<script>never closed"), "前");
        assert_eq!(plain_text("a <!-- never closed"), "a");
    }

    #[test]
    fn broken_markup_does_not_panic() {
        assert_eq!(plain_text("1 < 2"), "1 < 2");
        assert_eq!(plain_text("<"), "<");
        assert_eq!(plain_text("&#1114112;&#0;"), "&#1114112;&#0;");
        assert_eq!(plain_text("<a href=\"x\">链接</a>文字"), "链接文字");
        assert_eq!(plain_text("&"), "&");
        assert_eq!(plain_text("&中文很长很长很长;"), "&中文很长很长很长;");
    }
}
