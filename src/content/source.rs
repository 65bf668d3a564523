//! Reading one Markdown file: encoding checks, the `---` front-matter fence,
//! and the offsets that turn a YAML line into a file line.

use crate::diag::Diagnostic;

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFile {
    /// YAML text between the fences (LF line endings).
    pub yaml: String,
    /// File line of the first YAML line (so YAML line `n` is file line `yaml_line + n - 1`).
    pub yaml_line: usize,
    /// Markdown body after the closing fence.
    pub body: String,
    /// File line where the body starts.
    pub body_line: usize,
    /// Whether the file had any front matter at all.
    pub has_front_matter: bool,
}

/// Decode bytes as UTF-8 text; a byte-order mark is dropped, CRLF becomes LF.
/// Invalid bytes are an error at their line, telling the editor to save as UTF-8.
pub fn decode(path: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            if let Some(at) = crate::render::copies::find_reserved(text) {
                let (line, column) = crate::config::line_column(text, at);
                return Err(Diagnostic::error(
                    path,
                    line,
                    column,
                    crate::render::copies::RESERVED_MESSAGE,
                ));
            }
            Ok(if text.contains('\r') {
                text.replace("\r\n", "\n")
            } else {
                text.to_string()
            })
        }
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            Err(Diagnostic::error(
                path,
                line,
                column,
                "文件不是 UTF-8 编码（可能是 GBK 等 Windows 默认编码）：请用 UTF-8 编码另存此文件",
            ))
        }
    }
}

/// Split text into front matter and body. `required` says whether a missing
/// front matter is an error (items) or allowed (`_index.md`).
pub fn split(path: &str, text: &str, required: bool) -> Result<SourceFile, Diagnostic> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        if required {
            let message = if text.trim().is_empty() {
                "文件是空的：条目需要以 --- 开头的文件头（至少包含 title 标题 和 date 发布日期）"
            } else {
                "缺少文件头：文件第一行应为 ---，其后是 title、date 等字段，再以 --- 结束"
            };
            return Err(Diagnostic::error(path, 1, 1, message));
        }
        return Ok(SourceFile {
            yaml: String::new(),
            yaml_line: 1,
            body: text.to_string(),
            body_line: 1,
            has_front_matter: false,
        });
    }
    let mut offset = first.len();
    let mut line_no = 1;
    for line in lines {
        line_no += 1;
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(SourceFile {
                yaml: text[first.len()..offset].to_string(),
                yaml_line: 2,
                body: text[offset + line.len()..].to_string(),
                body_line: line_no + 1,
                has_front_matter: true,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        1,
        1,
        "文件头没有结束：缺少第二个 --- 行（文件头以 --- 开始，也要以 --- 结束）",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_lines_map_to_file_lines() {
        let text = "---\ntitle: a\ndate: 2023-01-01\n---\n正文\n";
        let src = split("a.md", text, true).unwrap();
        assert_eq!(src.yaml, "title: a\ndate: 2023-01-01\n");
        assert_eq!(src.yaml_line, 2);
        assert_eq!(src.body, "正文\n");
        assert_eq!(src.body_line, 5);
    }

    #[test]
    fn unclosed_front_matter_points_at_line_one() {
        let err = split("a.md", "---\ntitle: a\n", true).unwrap_err();
        assert_eq!((err.line, err.column), (1, 1));
        assert!(err.message.contains("没有结束"));
    }

    #[test]
    fn reserved_noncharacters_are_refused_where_they_are() {
        let text = "---\ntitle: a\n---\n正文\u{FDD0}x\n";
        let err = decode("a.md", text.as_bytes()).unwrap_err();
        assert_eq!((err.line, err.column), (4, 3));
        assert!(err.message.contains("非法字符"));
        assert!(decode("a.md", "正文\u{FDF0}\u{FFFD}".as_bytes()).is_ok());
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = decode("a.md", b"\xEF\xBB\xBF---\r\ntitle: a\r\n---\r\nbody\r\n").unwrap();
        let src = split("a.md", &text, true).unwrap();
        assert_eq!(src.yaml, "title: a\n");
        assert_eq!(src.body, "body\n");
    }

    #[test]
    fn gbk_bytes_are_reported_at_their_line() {
        // "---\ntitle: " then 政务 in GBK.
        let mut bytes = b"---\ntitle: ".to_vec();
        bytes.extend_from_slice(&[0xD5, 0xFE, 0xCE, 0xF1]);
        let err = decode("a.md", &bytes).unwrap_err();
        assert_eq!((err.line, err.column), (2, 8));
        assert!(err.message.contains("UTF-8"));
    }

    #[test]
    fn index_files_may_have_no_front_matter() {
        let src = split("_index.md", "介绍\n", false).unwrap();
        assert!(!src.has_front_matter);
        assert_eq!(src.body, "介绍\n");
    }
}
