//! Run the link check over a built site and time it:
//! `cargo run --release --example linkcheck -- DIR BASE_URL [RUNS] [--memory]`.
//! Prints the findings (at most 20) and the wall time of each run: of the
//! directory walk (list, read, check), or with `--memory` of the check
//! alone over files read beforehand (what a build pays when it hands the
//! checker each page as it is rendered).

use gongkai::inspect::links::{LinkFinding, SiteAddress, check_dir, check_files};
use std::time::Instant;

/// CPU seconds used by this process so far (all threads).
fn cpu_seconds() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: linkcheck DIR BASE_URL [RUNS]");
        std::process::exit(2);
    }
    let Some(site) = SiteAddress::parse(&args[2]) else {
        eprintln!("not an http(s) URL: {}", args[2]);
        std::process::exit(2);
    };
    let runs: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(1);
    let dir = std::path::Path::new(&args[1]);
    let memory = args
        .iter()
        .any(|a| a == "--memory")
        .then(|| gongkai::output::read_tree(dir, dir, &mut Vec::new()));
    for run in 0..runs {
        let started = Instant::now();
        let cpu = cpu_seconds();
        let result: Result<Vec<LinkFinding>, String> = match &memory {
            Some(files) => {
                let files: Vec<(&str, &[u8])> = files
                    .iter()
                    .map(|(r, b)| (r.as_str(), b.as_slice()))
                    .collect();
                Ok(check_files(site.clone(), &files))
            }
            None => check_dir(site.clone(), dir).map_err(|e| e.to_string()),
        };
        match result {
            Ok(findings) => {
                let seconds = started.elapsed().as_secs_f64();
                let cpu = cpu_seconds() - cpu;
                if run == 0 {
                    for f in findings.iter().take(20) {
                        println!(
                            "{}:{}:{}: {:?} {}",
                            f.page, f.line, f.column, f.problem, f.target
                        );
                    }
                }
                println!(
                    "run {}: {} findings in {seconds:.3} s wall, {cpu:.3} s CPU",
                    run + 1,
                    findings.len()
                );
            }
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
}
