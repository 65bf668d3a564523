//! gongkai: a static site generator for open-government disclosure (政务公开).

pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod diag;
pub mod fsutil;
pub mod markdown;
pub mod output;
pub mod qr;
pub mod render;
pub mod scaffold;
pub mod search;
