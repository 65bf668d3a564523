//! `gongkai serve`: the site built into memory and served on this
//! computer, rebuilt when a source changes.
//!
//! This first part holds the pure pieces: checking request paths
//! ([`paths`]) and classifying bursts of file events ([`classify`]).

pub mod classify;
pub mod paths;
