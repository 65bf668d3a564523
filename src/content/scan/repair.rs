//! Applying the scan's repairs to the text, keeping for every character of
//! a repaired line the column it had in the editor's file.

use super::Edit;

/// Apply the edits; returns the repaired text and, per line, the original
/// column of each character of an edited line (plus one past its end).
pub(super) fn apply(
    text: &str,
    lines: &[Vec<char>],
    mut edits: Vec<Edit>,
) -> (String, Vec<Option<Vec<usize>>>) {
    if edits.is_empty() {
        return (text.to_string(), Vec::new());
    }
    edits.sort_by_key(|e| (e.line, e.at));
    let mut columns = vec![None; lines.len()];
    let mut out = String::with_capacity(text.len() + edits.len() * 4);
    let mut edits = edits.into_iter().peekable();
    for (n, chars) in lines.iter().enumerate() {
        let mut map = Vec::new();
        let mut j = 0;
        let mut touched = false;
        while let Some(e) = edits.next_if(|e| e.line == n) {
            touched = true;
            if e.at < j {
                continue; // overlaps an earlier edit
            }
            while j < e.at.min(chars.len()) {
                out.push(chars[j]);
                map.push(j + 1);
                j += 1;
            }
            for c in e.insert.chars() {
                out.push(c);
                map.push(e.at + 1);
            }
            j = (j + e.remove).min(chars.len());
        }
        for (k, &c) in chars.iter().enumerate().skip(j) {
            out.push(c);
            map.push(k + 1);
        }
        map.push(chars.len() + 1);
        out.push('\n');
        if touched {
            columns[n] = Some(map);
        }
    }
    (out, columns)
}
