//! `gongkai serve`: the site built into memory and served on this
//! computer, rebuilt when a source changes.
//!
//! The pieces so far: checking request paths ([`paths`]), classifying
//! bursts of file events ([`classify`]), the site held in memory
//! ([`memory`]), the HTTP server ([`http`]), what it serves
//! ([`preview`]) and live reload with the error overlay ([`reload`]).

pub mod classify;
pub mod http;
pub mod memory;
pub mod paths;
pub mod preview;
pub mod reload;
