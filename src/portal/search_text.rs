//! Reading `api/search.jsonl.gz`, a member's plain text for search across
//! members (docs/open-data.md): a header line `{"format", "items"}`, then
//! one `{"id", "text"}` line per item. Read as a stream, a line at a time,
//! so a portal of a hundred members never holds all their text at once.
//!
//! The file is gzip; a server that sent it with `Content-Encoding: gzip`
//! has it unpacked by the HTTP client already, so the reader looks at the
//! first two bytes and reads plain JSON lines too. Several gzip members
//! one after the other are read as one stream (RFC 1952 allows it).

use super::contract;
use super::format::{ExportError, version_of};
use serde::Deserialize;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::Arc;

/// The longest line read (one item's text); a longer one is refused
/// rather than held in memory.
const MAX_LINE: u64 = 16 << 20;

/// Where a member's search text is.
#[derive(Debug, Clone)]
pub enum SearchSource {
    /// Held in memory (a fresh download the cache could not keep).
    Bytes(Arc<[u8]>),
    /// A file: the member's copy in the cache.
    File(PathBuf),
}

/// One item's plain text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SearchText {
    /// The item's id in `items.json`.
    pub id: String,
    /// Its plain body text.
    pub text: String,
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    items: usize,
}

/// The lines of a search text file after its header.
pub struct SearchReader {
    lines: Box<dyn BufRead + Send>,
    /// Items the header announces.
    announced: usize,
    /// Item lines read so far.
    read: usize,
    done: bool,
}

impl std::fmt::Debug for SearchReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchReader")
            .field("announced", &self.announced)
            .field("read", &self.read)
            .finish()
    }
}

impl SearchSource {
    /// Open the file and read its header (refusing another major version).
    pub fn open(&self) -> Result<SearchReader, ExportError> {
        let raw: Box<dyn Read + Send> = match self {
            SearchSource::Bytes(bytes) => Box::new(std::io::Cursor::new(Arc::clone(bytes))),
            SearchSource::File(path) => {
                Box::new(std::fs::File::open(path).map_err(|e| unreadable(&e.to_string()))?)
            }
        };
        let mut raw = BufReader::new(raw);
        let gzip = raw
            .fill_buf()
            .map_err(|e| unreadable(&e.to_string()))?
            .starts_with(&[0x1f, 0x8b]);
        let lines: Box<dyn BufRead + Send> = if gzip {
            Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(raw)))
        } else {
            Box::new(raw)
        };
        let mut reader = SearchReader {
            lines,
            announced: 0,
            read: 0,
            done: false,
        };
        let first = reader.next_line()?.ok_or_else(|| malformed("文件是空的"))?;
        let header: Header =
            serde_json::from_slice(&first).map_err(|e| malformed(&format!("第 1 行：{e}")))?;
        version_of(contract::SEARCH_FILE, header.format.as_deref())?;
        reader.announced = header.items;
        Ok(reader)
    }

    /// Read the whole file once and check it against the items: every
    /// line's id is an item's, no id twice, as many lines as announced.
    pub fn check(&self, ids: &HashSet<&str>) -> Result<(), ExportError> {
        let mut seen: HashSet<String> = HashSet::new();
        for line in self.open()? {
            let line = line?;
            if !ids.contains(line.id.as_str()) {
                return Err(malformed(&format!(
                    "条目 id “{}” 不在 items.json 中",
                    line.id
                )));
            }
            if !seen.insert(line.id) {
                return Err(malformed("同一条目出现两次"));
            }
        }
        Ok(())
    }
}

impl SearchReader {
    /// The number of items the header announces.
    pub fn announced(&self) -> usize {
        self.announced
    }

    /// The next non-empty line without its line break, or `None` at the end.
    fn next_line(&mut self) -> Result<Option<Vec<u8>>, ExportError> {
        loop {
            let mut line = Vec::new();
            let read = (&mut self.lines)
                .take(MAX_LINE)
                .read_until(b'\n', &mut line)
                .map_err(|e| unreadable(&format!("文件不完整或已损坏（{e}）")))?;
            if read == 0 {
                return Ok(None);
            }
            if line.last() != Some(&b'\n') && read as u64 == MAX_LINE {
                return Err(malformed("有一行超过 16 MB"));
            }
            while line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                line.pop();
            }
            if !line.is_empty() {
                return Ok(Some(line));
            }
        }
    }
}

impl Iterator for SearchReader {
    type Item = Result<SearchText, ExportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let result = match self.next_line() {
            Ok(Some(line)) => {
                self.read += 1;
                serde_json::from_slice::<SearchText>(&line)
                    .map_err(|e| malformed(&format!("第 {} 行：{e}", self.read + 1)))
            }
            Ok(None) if self.read == self.announced => {
                self.done = true;
                return None;
            }
            Ok(None) => Err(malformed(&format!(
                "文件头说有 {} 条，实际读到 {} 条（文件不完整？）",
                self.announced, self.read
            ))),
            Err(e) => Err(e),
        };
        if result.is_err() {
            self.done = true;
        }
        Some(result)
    }
}

fn malformed(message: &str) -> ExportError {
    ExportError::Malformed {
        file: contract::SEARCH_FILE.into(),
        message: message.into(),
    }
}

fn unreadable(message: &str) -> ExportError {
    ExportError::Unreadable {
        file: contract::SEARCH_FILE.into(),
        message: message.into(),
    }
}
