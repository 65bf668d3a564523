//! gongkai: a static site generator for open-government disclosure (政务公开).

pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod diag;
pub mod fsutil;
pub mod fuzzing;
pub mod hant;
pub mod markdown;
pub mod output;
pub mod progress;
pub mod qr;
pub mod qrlock;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
