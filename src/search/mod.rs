//! Chinese full-text search that runs in the browser: the index built here
//! at build time as static JSON files under `search/`, read by
//! `themes/default/static/search.js` on the `/search/` page.
//!
//! Chinese has no spaces to split words on, so every CJK character and
//! every overlapping pair of characters is a term (see [`tokenize`]); a query
//! of two or more characters looks up its pairs, a one-character query the
//! character. The index is cut into files so that a query downloads only
//! what it needs:
//!
//! | file | contents |
//! | --- | --- |
//! | `search/meta.json` | counts, shard sizes, the districts and kinds, which fold pages exist |
//! | `search/terms/<n>.json` | `{key: postings}` for the terms whose [`tokenize::hash32`] % `termShards` is `n` (keys: see [`term_key`]; postings: see [`postings`]) |
//! | `search/docs/<n>.json` | documents `n * docsPerShard ..` as `[title, url, district, column_name, kind, date, doc_number, index_no, text]`, `district` and `kind` being indices into the meta lists and `text` the first [`SNIPPET_CHARS`] characters |
//! | `search/facets.json` | `{width, codes}`: each document's `district * kinds + kind` in `width` alphabet characters, fetched only when a filter is set |
//! | `search/fold/<hh>.json` | `[[from, to], …]` as code points: the pairs `fold` makes whose `from` or `to` is in U+hh00–U+hhFF; pages without any are not written |
//!
//! Only doc shards and the names in `meta.json` hold Chinese text, so the
//! whole index may be passed through a Simplified→Traditional converter.
//!
//! Documents are numbered newest first, so among equally good hits the
//! newest come first and tend to share document shards.

pub mod postings;
pub mod text;
pub mod tokenize;

pub use text::plain_text;
pub use tokenize::{Fold, tokenize};

use postings::{ALPHABET, Fields, TermPostings};
use rayon::prelude::*;
use serde::Serialize;

/// How many characters of a document's text go into its doc shard, for the
/// snippet shown under a result.
pub const SNIPPET_CHARS: usize = 300;

/// Term shards are made about this big (before compression) on average;
/// the count is rounded up to a power of two. Smaller shards mean fewer
/// bytes per query but more files to write: on the 10,000-item benchmark
/// corpus this gives 1,024 shards of about 12 KB.
const TERM_SHARD_BYTES: usize = 16 * 1024;
/// At most this many term shards.
const MAX_TERM_SHARDS: usize = 4096;
/// Doc shards are made about this big on average (four documents of the
/// benchmark corpus). A page of ten results fetches up to ten of them.
const DOC_SHARD_BYTES: usize = 4 * 1024;
/// At most this many documents per doc shard.
const MAX_DOCS_PER_SHARD: usize = 64;

/// Format version written to `meta.json`; `search.js` refuses other versions.
pub const FORMAT_VERSION: u32 = 1;

/// The order kinds are listed in.
const KIND_ORDER: &[&str] = &["policy", "interpretation", "service", "article", "faq"];

/// One searchable item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// `<district>/<column>/<slug>`.
    pub id: String,
    /// The title.
    pub title: String,
    /// URL of the item page relative to the copy's base path
    /// (`yueyang/policies/x/`, no leading slash), already percent-encoded,
    /// so both copies of a site share one index.
    pub url: String,
    /// District id.
    pub district: String,
    /// District name, shown with the result.
    pub district_name: String,
    /// Column name, shown with the result.
    pub column_name: String,
    /// `policy` | `interpretation` | `service` | `article` | `faq`.
    pub kind: String,
    /// The kind's Chinese name (政策文件 …).
    pub kind_label: String,
    /// Publish date, `YYYY-MM-DD`.
    pub date: String,
    /// 文号, or `""`.
    pub doc_number: String,
    /// 索引号, or `""`.
    pub index_no: String,
    /// Plain body text (see [`plain_text`]).
    pub text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Meta<'a> {
    version: u32,
    docs: usize,
    term_shards: usize,
    docs_per_shard: usize,
    districts: Vec<(&'a str, &'a str)>,
    kinds: Vec<(&'a str, &'a str)>,
    fold: Vec<String>,
}

/// Build the search index of `docs`: files relative to the site root, all
/// under `search/`, sorted by path. The output depends only on the set of
/// documents and `fold`, byte for byte. `fold` normalises CJK characters
/// (U+3400–U+9FFF) in the index and, through `search/fold/`, in queries.
pub fn build_index(docs: &[SearchDoc], fold: Fold) -> Vec<(String, Vec<u8>)> {
    build_index_of(docs.iter().collect(), fold)
}

/// [`build_index`] of documents held in different places.
pub fn build_index_of(order: Vec<&SearchDoc>, fold: Fold) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    build_index_into(order, fold, &mut |rel, bytes| files.push((rel, bytes)));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// [`build_index_of`], handing each file to `emit` as soon as it is made
/// instead of holding them all (the index of a large site is tens of
/// megabytes).
pub fn build_index_into(
    mut order: Vec<&SearchDoc>,
    fold: Fold,
    emit: &mut dyn FnMut(String, Vec<u8>),
) {
    order.sort_by(|a, b| {
        (b.date.as_str(), a.id.as_str(), a.url.as_str()).cmp(&(
            a.date.as_str(),
            b.id.as_str(),
            b.url.as_str(),
        ))
    });
    let fields: Vec<Fields> = order
        .iter()
        .map(|d| Fields {
            title: &d.title,
            ids: [&d.doc_number, &d.index_no],
            body: &d.text,
        })
        .collect();
    let terms = postings::collect(&fields, fold);
    drop(fields);
    let districts = districts(&order);
    let kinds = kinds(&order);

    let term_shards = term_shard_files(terms, emit);
    let docs_per_shard = doc_shard_files(&order, &districts, &kinds, emit);
    let (name, bytes) = facets_file(&order, &districts, &kinds);
    emit(name, bytes);
    let fold_pages = fold_files(fold, emit);
    let meta = Meta {
        version: FORMAT_VERSION,
        docs: order.len(),
        term_shards,
        docs_per_shard,
        districts,
        kinds,
        fold: fold_pages,
    };
    emit(
        "search/meta.json".to_string(),
        serde_json::to_vec(&meta).unwrap_or_default(),
    );
}

/// The districts of the documents as (id, name), sorted by id.
fn districts<'a>(docs: &[&'a SearchDoc]) -> Vec<(&'a str, &'a str)> {
    let mut list: Vec<(&str, &str)> = docs
        .iter()
        .map(|d| (d.district.as_str(), d.district_name.as_str()))
        .collect();
    list.sort();
    list.dedup_by(|a, b| a.0 == b.0);
    list
}

/// The kinds of the documents as (kind, label), in [`KIND_ORDER`].
fn kinds<'a>(docs: &[&'a SearchDoc]) -> Vec<(&'a str, &'a str)> {
    let mut list: Vec<(&str, &str)> = docs
        .iter()
        .map(|d| (d.kind.as_str(), d.kind_label.as_str()))
        .collect();
    let rank = |k: &str| {
        KIND_ORDER
            .iter()
            .position(|o| *o == k)
            .unwrap_or(KIND_ORDER.len())
    };
    list.sort_by(|a, b| (rank(a.0), a).cmp(&(rank(b.0), b)));
    list.dedup_by(|a, b| a.0 == b.0);
    list
}

fn position_of(list: &[(&str, &str)], id: &str) -> usize {
    list.iter().position(|(i, _)| *i == id).unwrap_or(0)
}

/// Write the term shards; returns how many there are.
fn term_shard_files(terms: Vec<TermPostings>, emit: &mut dyn FnMut(String, Vec<u8>)) -> usize {
    let total: usize = terms
        .iter()
        .map(|t| t.text.len() + t.encoded.len() + 6)
        .sum();
    let count = total
        .div_ceil(TERM_SHARD_BYTES)
        .next_power_of_two()
        .clamp(1, MAX_TERM_SHARDS);
    // One shard at a time, each allocated at its final size; within a
    // shard, terms keep their order.
    let mut by_shard: Vec<usize> = (0..terms.len()).collect();
    by_shard.sort_by_key(|&i| terms[i].hash as usize % count);
    let mut at = 0;
    for n in 0..count {
        let end = at
            + by_shard[at..]
                .iter()
                .take_while(|&&i| terms[i].hash as usize % count == n)
                .count();
        let members: Vec<(String, &str)> = by_shard[at..end]
            .iter()
            .map(|&i| (term_key(&terms[i].text), terms[i].encoded.as_str()))
            .collect();
        let size = 2 + members
            .iter()
            .map(|(key, encoded)| key.len() + encoded.len() + 6)
            .sum::<usize>();
        let mut shard = Vec::with_capacity(size);
        shard.push(b'{');
        for (key, encoded) in &members {
            if shard.len() > 1 {
                shard.push(b',');
            }
            shard.push(b'"');
            shard.extend_from_slice(key.as_bytes());
            shard.extend_from_slice(b"\":\"");
            shard.extend_from_slice(encoded.as_bytes());
            shard.push(b'"');
        }
        shard.push(b'}');
        emit(format!("search/terms/{n}.json"), shard);
        at = end;
    }
    count
}

/// A term as the key of its shard: an ASCII word as it is, CJK as `~` and
/// the hex code points joined by `.` (不动 → `~4e0d.52a8`). Keys are ASCII so
/// that a copy of the index passed through a Simplified→Traditional
/// converter (as the `/zh-hant/` copy of a site is) keeps working.
pub fn term_key(term: &str) -> String {
    if term
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return term.to_string();
    }
    let hex: Vec<String> = term
        .chars()
        .map(|c| format!("{:x}", u32::from(c)))
        .collect();
    format!("~{}", hex.join("."))
}

/// Write the doc shards; returns how many documents each holds.
fn doc_shard_files(
    docs: &[&SearchDoc],
    districts: &[(&str, &str)],
    kinds: &[(&str, &str)],
    emit: &mut dyn FnMut(String, Vec<u8>),
) -> usize {
    let records: Vec<Vec<u8>> = docs
        .par_iter()
        .map(|d| {
            let end = d
                .text
                .char_indices()
                .nth(SNIPPET_CHARS)
                .map_or(d.text.len(), |(at, _)| at);
            let snippet = &d.text[..end];
            let record = (
                &d.title,
                &d.url,
                position_of(districts, &d.district),
                &d.column_name,
                position_of(kinds, &d.kind),
                &d.date,
                &d.doc_number,
                &d.index_no,
                snippet,
            );
            let mut json = serde_json::to_vec(&record).unwrap_or_default();
            json.shrink_to_fit();
            json
        })
        .collect();
    let total: usize = records.iter().map(Vec::len).sum();
    let per_shard = (DOC_SHARD_BYTES * records.len() + total / 2)
        .checked_div(total)
        .unwrap_or(1)
        .clamp(1, MAX_DOCS_PER_SHARD);
    for (n, chunk) in records.chunks(per_shard).enumerate() {
        let size = 1 + chunk.iter().map(|r| r.len() + 1).sum::<usize>();
        let mut shard = Vec::with_capacity(size);
        shard.push(b'[');
        for (i, record) in chunk.iter().enumerate() {
            if i > 0 {
                shard.push(b',');
            }
            shard.extend_from_slice(record);
        }
        shard.push(b']');
        emit(format!("search/docs/{n}.json"), shard);
    }
    per_shard
}

/// Each document's district and kind, for filtering before doc shards are
/// fetched.
fn facets_file(
    docs: &[&SearchDoc],
    districts: &[(&str, &str)],
    kinds: &[(&str, &str)],
) -> (String, Vec<u8>) {
    let combinations = districts.len().max(1) * kinds.len().max(1);
    let mut width = 1;
    while 64usize.pow(width) < combinations {
        width += 1;
    }
    let mut codes = String::with_capacity(docs.len() * width as usize);
    for d in docs {
        let code =
            position_of(districts, &d.district) * kinds.len().max(1) + position_of(kinds, &d.kind);
        for digit in (0..width).rev() {
            codes.push(char::from(ALPHABET[code / 64usize.pow(digit) % 64]));
        }
    }
    let body = serde_json::json!({ "width": width, "codes": codes });
    (
        "search/facets.json".to_string(),
        serde_json::to_vec(&body).unwrap_or_default(),
    )
}

/// Write the characters `fold` changes, by page of 256 code points; returns
/// the pages written as two hex digits. A pair is written to the page of the
/// character it changes and to the page of its result, so that the pages of
/// a Simplified query also tell which Traditional characters fold onto it
/// (for highlighting them in results).
fn fold_files(fold: Fold, emit: &mut dyn FnMut(String, Vec<u8>)) -> Vec<String> {
    let first_page = *tokenize::FOLD_RANGE.start() >> 8;
    let last_page = *tokenize::FOLD_RANGE.end() >> 8;
    let mut pages: Vec<Vec<(char, char)>> = vec![Vec::new(); (last_page - first_page + 1) as usize];
    for c in tokenize::FOLD_RANGE.filter_map(char::from_u32) {
        let to = fold(c);
        if to == c {
            continue;
        }
        let from_page = u32::from(c) >> 8;
        pages[(from_page - first_page) as usize].push((c, to));
        let to_page = u32::from(to) >> 8;
        if to_page != from_page && (first_page..=last_page).contains(&to_page) {
            pages[(to_page - first_page) as usize].push((c, to));
        }
    }
    let mut names = Vec::new();
    for (offset, mut pairs) in pages.into_iter().enumerate() {
        if pairs.is_empty() {
            continue;
        }
        pairs.sort_unstable();
        let name = format!("{:02x}", first_page as usize + offset);
        let json: Vec<[u32; 2]> = pairs
            .into_iter()
            .map(|(from, to)| [u32::from(from), u32::from(to)])
            .collect();
        emit(
            format!("search/fold/{name}.json"),
            serde_json::to_vec(&json).unwrap_or_default(),
        );
        names.push(name);
    }
    names
}

#[cfg(test)]
mod tests;
