//! Getting one export file of a member from its source: a file in its
//! output directory, or an HTTP GET of its published root with timeouts,
//! retries with a doubling delay, and conditional requests (a `304 Not
//! Modified` answer means "the cached copy's file is still current").
//!
//! The HTTP client is `ureq` (blocking, rustls, no OpenSSL): a portal
//! fetches a handful of files per member on a few threads, which needs no
//! async runtime. Requests to a loopback host never go through a proxy
//! from the environment.

use super::cache::Validator;
use super::config::{FetchSettings, Source};
use std::path::Path;
use std::time::Duration;

/// The largest export file accepted (items of a site of a few hundred
/// thousand items).
const MAX_BODY: u64 = 1 << 30;

/// One export file as the source gave it.
#[derive(Debug)]
pub enum Got {
    /// The file's bytes and what identifies this version of it.
    Body(Vec<u8>, Validator),
    /// The server says the cached copy of the file is current.
    NotModified,
}

/// How one attempt failed.
enum Attempt {
    /// Worth trying again (no answer, a cut-off answer, a 5xx).
    Retry(String),
    /// Trying again would not help (404, a bad URL).
    Fail(String),
}

/// Gets export files from members' sources.
pub struct Client {
    /// For loopback hosts: never through a proxy.
    direct: ureq::Agent,
    /// For every other host: the environment's proxy settings apply.
    proxied: ureq::Agent,
    retries: u32,
    retry_delay: Duration,
}

impl Client {
    /// A client with the portal's timeouts and retries.
    pub fn new(settings: &FetchSettings) -> Client {
        let agent = |proxy: bool| -> ureq::Agent {
            let builder = ureq::Agent::config_builder()
                .timeout_resolve(Some(settings.connect_timeout))
                .timeout_connect(Some(settings.connect_timeout))
                .timeout_send_request(Some(settings.read_timeout))
                .timeout_per_read(Some(settings.read_timeout))
                .http_status_as_error(false)
                .user_agent(concat!("gongkai/", env!("CARGO_PKG_VERSION"), " (portal)"));
            let builder = if proxy { builder } else { builder.proxy(None) };
            builder.build().into()
        };
        Client {
            direct: agent(false),
            proxied: agent(true),
            retries: settings.retries,
            retry_delay: settings.retry_delay,
        }
    }

    /// Get `rel` (a checked relative path such as `api/site.json`) from
    /// `source`; `known` is the cached copy's validator, sent so that an
    /// unchanged file is answered with 304. The error says what went wrong,
    /// in Chinese.
    pub fn get(
        &self,
        source: &Source,
        rel: &str,
        known: Option<&Validator>,
    ) -> Result<Got, String> {
        match source {
            Source::Dir(dir) => read_file(dir, rel),
            Source::Url(root) => self.get_url(&format!("{root}/{rel}"), known),
        }
    }

    fn get_url(&self, url: &str, known: Option<&Validator>) -> Result<Got, String> {
        let agent = if is_loopback_url(url) {
            &self.direct
        } else {
            &self.proxied
        };
        let mut delay = self.retry_delay;
        let mut tried = 0;
        loop {
            tried += 1;
            match attempt(agent, url, known) {
                Ok(got) => return Ok(got),
                Err(Attempt::Fail(reason)) => return Err(reason),
                Err(Attempt::Retry(reason)) if tried > self.retries => {
                    return Err(if tried > 1 {
                        format!("{reason}（共试了 {tried} 次）")
                    } else {
                        reason
                    });
                }
                Err(Attempt::Retry(_)) => {
                    std::thread::sleep(delay);
                    delay = delay.saturating_mul(2);
                }
            }
        }
    }
}

/// One GET of `url`.
fn attempt(agent: &ureq::Agent, url: &str, known: Option<&Validator>) -> Result<Got, Attempt> {
    let mut request = agent.get(url);
    if let Some(known) = known {
        if let Some(etag) = &known.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(modified) = &known.last_modified {
            request = request.header("If-Modified-Since", modified);
        }
    }
    let mut response = request.call().map_err(|e| transport_error(url, &e))?;
    let status = response.status().as_u16();
    match status {
        304 if known.is_some() => return Ok(Got::NotModified),
        200 => {}
        408 | 429 | 500..=599 => return Err(Attempt::Retry(format!("{url} 返回 HTTP {status}"))),
        _ => return Err(Attempt::Fail(format!("{url} 返回 HTTP {status}"))),
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let validator = Validator {
        etag: header("etag"),
        last_modified: header("last-modified"),
    };
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => {
                Attempt::Fail(format!("{url} 超过 {} MB", MAX_BODY >> 20))
            }
            other => Attempt::Retry(format!("{url} 的内容没有收完整：{}", describe(&other))),
        })?;
    Ok(Got::Body(bytes, validator))
}

/// Whether a failed request is worth retrying, with the reason.
fn transport_error(url: &str, error: &ureq::Error) -> Attempt {
    match error {
        ureq::Error::BadUri(_) | ureq::Error::HostNotFound => {
            Attempt::Fail(format!("无法访问 {url}：{}", describe(error)))
        }
        _ => Attempt::Retry(format!("无法访问 {url}：{}", describe(error))),
    }
}

/// A ureq error in words a publisher understands.
fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "超时".to_string(),
        ureq::Error::HostNotFound => "找不到该主机".to_string(),
        ureq::Error::ConnectionFailed => "连接失败".to_string(),
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            "连接被拒绝".to_string()
        }
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            "连接提前关闭".to_string()
        }
        other => other.to_string(),
    }
}

/// A file of a member's output directory.
fn read_file(dir: &Path, rel: &str) -> Result<Got, String> {
    let path = dir.join(rel);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Got::Body(bytes, Validator::default())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "找不到 {}（成员网站还没有构建，或不是它的输出目录？）",
            path.display()
        )),
        Err(e) => Err(format!("无法读取 {}：{e}", path.display())),
    }
}

/// True for `http(s)://localhost…`, `127.x.x.x` and `[::1]`.
fn is_loopback_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognised() {
        for url in [
            "http://127.0.0.1:8080/api/site.json",
            "http://localhost/x",
            "https://[::1]:443/",
            "http://127.9.9.9",
        ] {
            assert!(is_loopback_url(url), "{url}");
        }
        for url in [
            "https://gk.example.gov.cn/api/site.json",
            "http://10.0.0.1/",
            "http://localhost.example.com/",
            "http://[2001:db8::1]/",
        ] {
            assert!(!is_loopback_url(url), "{url}");
        }
    }
}
