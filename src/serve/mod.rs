//! `gongkai serve`: the site built into memory and served on this
//! computer, rebuilt when a source changes, with open browser tabs
//! reloading by themselves.
//!
//! Three kinds of threads share one [`preview::Preview`]:
//! - the HTTP connection threads ([`http`]) answer requests from the
//!   build being served, after checking the path ([`paths`]);
//! - the main thread waits for bursts of file events ([`watch`]),
//!   classifies them ([`classify`]), rebuilds ([`rebuild`]) into a
//!   [`memory::MemorySink`] and publishes the outcome, which tells open
//!   tabs to reload ([`reload`]);
//! - a heartbeat thread keeps the tabs' event streams alive.
//!
//! A failed build keeps the last good site and shows its errors over every
//! page until a build succeeds again. Nothing is written to disk.

pub mod classify;
pub mod http;
pub mod memory;
pub mod paths;
pub mod preview;
pub mod rebuild;
pub mod reload;
pub mod watch;

use crate::diag::{Error, Result};
use classify::Change;
use preview::Preview;
use rebuild::{Builder, Built};
use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often open event streams get a keep-alive comment.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// What `gongkai serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// Site root.
    pub root: PathBuf,
    /// Address to listen on (loopback unless the user chose otherwise).
    pub bind: IpAddr,
    /// Port; 0 lets the system choose a free one.
    pub port: u16,
    /// Publish drafts too.
    pub drafts: bool,
}

/// Serve the site until the process is stopped.
pub fn run(options: &Options) -> Result<()> {
    let root = options
        .root
        .canonicalize()
        .map_err(|e| crate::fsutil::io_error("找不到网站目录", &options.root, e))?;
    let listener = http::bind(options.bind, options.port)?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::Other(format!("无法取得监听地址：{e}")))?;
    let base_url = format!(
        "http://{}",
        SocketAddr::new(shown_host(address.ip()), address.port())
    );
    crate::say!("预览地址：{base_url}/  （修改文件后浏览器自动刷新；按 Ctrl+C 停止）");
    if !address.ip().is_loopback() {
        crate::say!("注意：正在 {address} 上提供服务，同一网络中的其他电脑也能访问");
    }
    let preview = Arc::new(Preview::default());
    let server = {
        let handler: Arc<dyn http::Handler> = preview.clone();
        spawn("gongkai-http", move || http::serve(listener, handler))?
    };
    let heartbeat = Arc::clone(&preview);
    spawn("gongkai-heartbeat", move || {
        loop {
            std::thread::sleep(HEARTBEAT);
            heartbeat.heartbeat();
        }
    })?;
    // Watch before the first build, so an edit made during it is seen.
    let watch = watch::Watch::start(&root)
        .map_err(|e| Error::Other(format!("无法监视网站目录 {}：{e}", root.display())));
    let builder = Builder::new(root.clone(), base_url, options.drafts);
    let mut known = watch::item_files(&root, &root.join("content"));
    crate::say!("正在生成网站……");
    publish(&preview, builder.build());
    match watch {
        Ok(mut watch) => {
            while let Some(touched) = watch.next_burst() {
                let change = classify::classify(&touched, &root, &known);
                if change.is_relevant() {
                    remember(&change, &root, &mut known);
                    rebuild(&preview, &builder, &change);
                }
            }
            crate::say!("警告：文件监视已停止，修改不再自动生效");
        }
        Err(e) => crate::say!("警告：{e}；修改文件后请重新运行 gongkai serve"),
    }
    let _ = server.join();
    Ok(())
}

/// Keep the set of known item files up to date: the next burst is judged
/// against it.
fn remember(change: &Change, root: &Path, known: &mut BTreeSet<String>) {
    change.update_known(known);
    for dir in &change.rescan {
        known.extend(watch::item_files(root, &root.join(dir)));
    }
}

fn rebuild(preview: &Preview, builder: &Builder, change: &Change) {
    let started = Instant::now();
    crate::say!("检测到修改：{}", change.describe());
    let mut early = |files, unsettled| preview.publish_early(files, unsettled);
    let outcome = builder.rebuild(change, &mut early);
    match outcome {
        Ok(Built {
            files,
            pages,
            elapsed,
            early: Some(early),
            ..
        }) => {
            preview.settle(files);
            crate::say!(
                "已更新：重新生成 {pages} 个页面；{} 毫秒后刷新浏览器，全部完成用时 {} 毫秒",
                early.as_millis(),
                elapsed.as_millis()
            );
        }
        outcome => {
            publish(preview, outcome);
            crate::say!(
                "（从发现修改到通知浏览器共 {} 毫秒）",
                started.elapsed().as_millis()
            );
        }
    }
}

/// Print the outcome of a build and serve it.
fn publish(preview: &Preview, outcome: std::result::Result<Built, Vec<String>>) {
    match &outcome {
        Ok(built) => crate::say!(
            "已生成：{} 个条目，{} 个页面，{} 个文件，用时 {:.2} 秒",
            built.items,
            built.pages,
            built.files.len(),
            built.elapsed.as_secs_f64()
        ),
        Err(lines) => {
            for line in lines {
                crate::say!("{line}");
            }
            crate::say!(
                "共 {} 个问题：浏览器中仍显示上一次成功生成的网站，并在页面上方列出错误",
                lines.len()
            );
        }
    }
    preview.publish(outcome.map(|built| built.files));
}

/// The host to put in links: a wildcard address is not one a browser can
/// open, so it is shown as loopback.
fn shown_host(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        other => other,
    }
}

fn spawn<F: FnOnce() + Send + 'static>(name: &str, body: F) -> Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(body)
        .map_err(|e| Error::Other(format!("无法启动线程 {name}：{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_addresses_are_shown_as_loopback() {
        assert_eq!(
            shown_host("0.0.0.0".parse().unwrap()),
            "127.0.0.1".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            shown_host("::".parse().unwrap()),
            "::1".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            shown_host("192.0.2.7".parse().unwrap()),
            "192.0.2.7".parse::<IpAddr>().unwrap()
        );
    }
}
