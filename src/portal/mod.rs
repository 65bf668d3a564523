//! A portal over member sites (DESIGN §9, issue 17): the contract of the
//! open-data export every site publishes, the reader that parses and checks
//! a member's export, the fetcher that gets it from a directory or a URL
//! with a cache of the last good copy, and the `[[member]]` configuration.
//!
//! Rendering a portal's pages is not here: these modules hand the portal
//! build one typed [`export::Export`] per member, or the reason there is
//! none ([`fetch::fetch_members`]). The modules import each other in the
//! order of the table, never back.
//!
//! | module | owns |
//! | --- | --- |
//! | [`contract`] | the format version and file names (shared with the writer in `render::extra`) |
//! | [`format`] | the version of an export file, [`format::ExportError`] |
//! | [`search_text`] | streaming reader of `api/search.jsonl.gz` |
//! | [`export`] | typed `site.json` / `items.json` |
//! | [`check`] | [`check::read_export`]: parse and check (base URL, links, ids, paths) |
//! | [`config`] | `[[member]]` and `[portal]` of `site.toml` |
//! | [`cache`] | the last good copy of each member |
//! | [`transport`] | one file from a directory or over HTTP (timeouts, retries, 304) |
//! | [`fetch`] | all members in parallel, with fallback to the last good copy |

pub mod cache;
pub mod check;
pub mod config;
pub mod contract;
pub mod export;
pub mod fetch;
pub mod format;
pub mod search_text;
pub mod transport;

#[cfg(test)]
mod tests;
