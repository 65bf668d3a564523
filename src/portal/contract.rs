//! The open-data export contract (docs/open-data.md): its format version
//! and the names of its files, shared by the writer (`render::extra`) and
//! the reader ([`super::export`]). A leaf module: it imports nothing.
//!
//! The version is `MAJOR.MINOR`. A minor version adds: fields, files, or
//! values of an enumerated field (`kind`, `service.item_type`, …); a reader
//! of the same major version ignores fields and files it does not know and
//! treats an unknown value as unknown. A major version is anything else:
//! a field removed, renamed or of another type or meaning, a file moved.
//! A reader refuses an export of another major version.

/// Major version of the export this build writes and reads.
pub const MAJOR: u32 = 1;

/// Minor version of the export this build writes.
pub const MINOR: u32 = 0;

/// `MAJOR.MINOR` as written into every export file.
pub const FORMAT: &str = "1.0";

/// The site description, at the root of every site.
pub const SITE_FILE: &str = "api/site.json";

/// All published items' metadata (also written per district as
/// `<district>/api/items.json`).
pub const ITEMS_FILE: &str = "api/items.json";

/// The plain text of every published item, for search across sites:
/// gzip-compressed JSON lines.
pub const SEARCH_FILE: &str = "api/search.jsonl.gz";

#[cfg(test)]
mod tests {
    #[test]
    fn the_format_string_is_the_two_numbers() {
        assert_eq!(super::FORMAT, format!("{}.{}", super::MAJOR, super::MINOR));
    }
}
