//! gongkai: a static site generator for open-government disclosure (政务公开).

/// Print a line to standard error, ignoring failures (a closed pipe or a
/// full disk must not turn into a panic).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Print a line to standard output, ignoring failures.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod diag;
pub mod fsutil;
pub mod fuzzing;
pub mod golive;
pub mod hant;
pub mod incremental;
pub mod inspect;
pub mod markdown;
pub mod output;
pub mod portal;
pub mod progress;
pub mod qr;
pub mod qrlock;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod timings;
