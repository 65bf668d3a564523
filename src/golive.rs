//! Going live: a QR code printed on a notice carries `base_url` and a short
//! code derived from the district's code for good. A site whose `base_url`
//! is still a placeholder (an example, test or loopback address) or whose
//! districts still carry the codes `gongkai init` writes is not live yet:
//! `build` and `check` warn, `--locked` refuses, and no short code is
//! registered in `qr.lock` (so filling in the real codes before going live
//! never ends in a locked-code error).

use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use std::net::{IpAddr, Ipv4Addr};

/// The administrative division code (`code`) `gongkai init` writes: not a
/// real code, so a real site never matches it by accident.
pub const STARTER_DIVISION_CODE: &str = "000000";
/// The 统一社会信用代码 (`org_code`) `gongkai init` writes.
pub const STARTER_ORG_CODE: &str = "000000000000000000";

/// Where the base URL of a build came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The site has no `site.toml`: the embedded default.
    Embedded,
    /// `site.toml` does not set `base_url`.
    Default,
    /// `base_url` in `site.toml`, at this line and column.
    File {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// `--base-url` on the command line.
    CommandLine,
}

/// A district code in `site.toml` that is still the one `init` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarterCode {
    /// The district's id.
    pub district: String,
    /// `code` or `org_code`.
    pub key: &'static str,
    /// 1-based line of the value in `site.toml`.
    pub line: usize,
    /// 1-based column of the value.
    pub column: usize,
}

/// Why a host cannot be the address of a published site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    /// `localhost` or a name under `.localhost`.
    Localhost,
    /// A loopback address (127.0.0.0/8, `::1`).
    Loopback,
    /// The unspecified address (`0.0.0.0`, `::`).
    Unspecified,
    /// A name under a top-level domain reserved for tests and examples
    /// (`.test`, `.invalid`, `.example`).
    ReservedName,
    /// A name with a label `example` (`example.com`, `gk.example.gov.cn`).
    Example,
}

impl Placeholder {
    /// What it is, in the words of a message.
    fn describe(self) -> &'static str {
        match self {
            Placeholder::Localhost => "本机地址（localhost）",
            Placeholder::Loopback => "本机回环地址",
            Placeholder::Unspecified => "未指定地址（0.0.0.0）",
            Placeholder::ReservedName => "保留给测试和示例的域名",
            Placeholder::Example => "示例域名（含 example）",
        }
    }
}

/// Whether `base_url` points at a placeholder host, and which kind. The
/// host is read case-insensitively, without user, port or path.
pub fn placeholder(base_url: &str) -> Option<Placeholder> {
    let host = host_of(base_url)?;
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let ip = inner.parse::<IpAddr>().ok()?;
        return ip_placeholder(ip.to_canonical());
    }
    if let Some(ip) = numeric_ipv4(&host) {
        return ip_placeholder(IpAddr::V4(ip));
    }
    let labels: Vec<&str> = host.split('.').collect();
    let last = *labels.last()?;
    if last == "localhost" {
        Some(Placeholder::Localhost)
    } else if matches!(last, "test" | "invalid" | "example") {
        Some(Placeholder::ReservedName)
    } else if labels.contains(&"example") {
        Some(Placeholder::Example)
    } else {
        None
    }
}

fn ip_placeholder(ip: IpAddr) -> Option<Placeholder> {
    if ip.is_loopback() {
        Some(Placeholder::Loopback)
    } else if ip.is_unspecified() {
        Some(Placeholder::Unspecified)
    } else {
        None
    }
}

/// The lower-case host of an `http(s)://` URL, without a trailing dot.
fn host_of(url: &str) -> Option<String> {
    let url = url.trim();
    let scheme_end = url.find("://")?;
    let rest = &url[scheme_end + 3..];
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit('@').next()?;
    let host = if host_port.starts_with('[') {
        &host_port[..=host_port.find(']')?]
    } else {
        host_port.split(':').next()?
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// A host written as an IPv4 address, also in the short forms browsers
/// accept (`127.1`, `0`): one to four decimal parts, the last one filling
/// the remaining bytes.
fn numeric_ipv4(host: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = host.split('.').collect();
    if parts.len() > 4 || parts.iter().any(|p| p.is_empty() || p.len() > 10) {
        return None;
    }
    let numbers: Vec<u64> = parts
        .iter()
        .map(|p| {
            if p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().ok()
            } else {
                None
            }
        })
        .collect::<Option<_>>()?;
    let (last, head) = numbers.split_last()?;
    if head.iter().any(|&n| n > 255) || *last >= 1 << (8 * (4 - head.len())) {
        return None;
    }
    let value = head
        .iter()
        .enumerate()
        .fold(*last, |acc, (i, &n)| acc | (n << (8 * (3 - i))));
    Some(Ipv4Addr::from(u32::try_from(value).ok()?))
}

/// Everything that keeps the site from going live, as warnings; empty when
/// the site is live and may register short codes.
pub fn problems(config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(kind) = placeholder(&config.base_url) {
        out.push(base_url_warning(config, kind));
    }
    for starter in &config.starter_codes {
        let what = if starter.key == "code" {
            "请改为本区县真实的 6 位行政区划代码（二维码短码由它生成）"
        } else {
            "请改为本单位真实的 18 位统一社会信用代码（索引号以它开头）"
        };
        let message = format!(
            "区县 {} 的 {} 还是 gongkai init 写入的示例值：{what}。上线后就不能再改；在此之前构建不会登记二维码短码",
            starter.district, starter.key
        );
        out.push(
            warning("site.toml", starter.line, starter.column, message).with_field(starter.key),
        );
    }
    out
}

fn base_url_warning(config: &Config, kind: Placeholder) -> Diagnostic {
    let url = &config.base_url;
    let fix = "上线前请在 site.toml 中把 base_url 改为网站的正式域名（例如 https://gk.本地区.gov.cn）。\
               二维码里的网址以它开头，印出去就改不了；在此之前构建不会登记二维码短码";
    let (line, column, message) = match config.base_url_origin {
        Origin::Embedded => (
            1,
            1,
            format!(
                "没有 site.toml，base_url 用的是默认的 {url}，这是{}：{fix}",
                kind.describe()
            ),
        ),
        Origin::Default => (
            1,
            1,
            format!(
                "site.toml 没有写 base_url，默认的 {url} 是{}：{fix}",
                kind.describe()
            ),
        ),
        Origin::File { line, column } => (
            line,
            column,
            format!("“{url}” 是{}：{fix}", kind.describe()),
        ),
        Origin::CommandLine => (
            1,
            1,
            format!(
                "命令行 --base-url 给出的 “{url}” 是{}（本地预览可以忽略）：正式发布请用网站的正式域名。在此之前构建不会登记二维码短码",
                kind.describe()
            ),
        ),
    };
    warning("site.toml", line, column, message).with_field("base_url")
}

fn warning(path: &str, line: usize, column: usize, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        ..Diagnostic::error(path, line, column, message)
    }
}

/// The same problems as errors, for `--locked` (a build that publishes).
pub fn locked_errors(problems: &[Diagnostic]) -> Vec<Diagnostic> {
    problems
        .iter()
        .map(|d| Diagnostic {
            severity: Severity::Error,
            message: format!("--locked：网站还没有准备好上线。{}", d.message),
            ..d.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_and_reserved_names_are_placeholders() {
        let cases = [
            ("https://gk.example.gov.cn", Some(Placeholder::Example)),
            ("https://example.com", Some(Placeholder::Example)),
            ("https://www.example.org/gk/", Some(Placeholder::Example)),
            ("https://GK.EXAMPLE.GOV.CN/gk", Some(Placeholder::Example)),
            ("https://site.test", Some(Placeholder::ReservedName)),
            ("http://gk.invalid:8080", Some(Placeholder::ReservedName)),
            ("https://gk.gov.example", Some(Placeholder::ReservedName)),
            ("https://example", Some(Placeholder::ReservedName)),
            ("https://gk.example.gov.cn./", Some(Placeholder::Example)),
        ];
        for (url, want) in cases {
            assert_eq!(placeholder(url), want, "{url}");
        }
    }

    #[test]
    fn localhost_names_are_placeholders() {
        for url in [
            "http://localhost",
            "http://localhost:1111",
            "http://LocalHost/gk",
            "http://gk.localhost:8000/",
            "http://user@localhost",
        ] {
            assert_eq!(placeholder(url), Some(Placeholder::Localhost), "{url}");
        }
    }

    #[test]
    fn loopback_and_unspecified_addresses_are_placeholders() {
        let cases = [
            ("http://127.0.0.1:1111", Placeholder::Loopback),
            ("http://127.1.2.3", Placeholder::Loopback),
            ("http://127.255.255.254/gk/", Placeholder::Loopback),
            ("http://127.1", Placeholder::Loopback),
            ("http://[::1]", Placeholder::Loopback),
            ("http://[::1]:8080/gk", Placeholder::Loopback),
            ("http://[::ffff:127.0.0.1]/", Placeholder::Loopback),
            ("http://0.0.0.0:1111", Placeholder::Unspecified),
            ("http://0", Placeholder::Unspecified),
            ("http://[::]:80", Placeholder::Unspecified),
        ];
        for (url, want) in cases {
            assert_eq!(placeholder(url), Some(want), "{url}");
        }
    }

    #[test]
    fn real_domains_and_addresses_are_not_placeholders() {
        for url in [
            "https://gk.hunan.gov.cn",
            "https://www.changsha.gov.cn/gk/",
            "https://gk.test.gov.cn",
            "https://examples.gov.cn",
            "https://myexample.cn",
            "https://gk.hunan.gov.cn:8443/xxgk",
            "http://10.1.2.3",
            "http://192.168.1.10:8080",
            "http://128.0.0.1",
            "http://[2001:db8::1]/",
            "https://1234.cn",
            "https://127.example-free.cn",
        ] {
            assert_eq!(placeholder(url), None, "{url}");
        }
    }

    #[test]
    fn short_ipv4_forms_are_read_like_browsers_read_them() {
        assert_eq!(numeric_ipv4("127.1"), Some(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(numeric_ipv4("10.1.2"), Some(Ipv4Addr::new(10, 1, 0, 2)));
        assert_eq!(numeric_ipv4("0"), Some(Ipv4Addr::UNSPECIFIED));
        assert_eq!(numeric_ipv4("256.1.1.1"), None);
        assert_eq!(numeric_ipv4("1.2.3.4.5"), None);
        assert_eq!(numeric_ipv4("gov.cn"), None);
    }
}
