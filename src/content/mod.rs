//! The content model: items, their front matter by kind, and the library of
//! all items of a site.

pub mod annual_report;
pub mod dates;
pub mod fields;
pub mod front;
pub mod identity;
pub mod library;
pub mod lint;
pub mod scan;
pub mod source;
pub mod syntax;
pub mod words;
pub mod yaml;
