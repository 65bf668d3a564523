//! The `gongkai` binary: parse the command line, run, exit with its code.

use clap::Parser;

fn main() {
    let cli = gongkai::cli::Cli::parse();
    std::process::exit(gongkai::cli::run(cli));
}
