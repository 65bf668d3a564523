//! The portal part of `site.toml`: `[[member]]` entries and the `[portal]`
//! fetch settings, as raw structs for `config.rs` to deserialise and a
//! function that turns them into a checked [`PortalConfig`], reporting
//! every problem with its line and column.
//!
//! ```toml
//! [portal]                 # every key optional
//! connect_timeout = 10     # seconds
//! read_timeout = 60        # seconds without data while reading
//! retries = 3
//! retry_delay = 1          # seconds before the first retry, doubled after each
//! parallel = 8             # members fetched at the same time
//!
//! [[member]]
//! id = "yueyang"
//! name = "岳阳市"
//! base_url = "https://yueyang.example.gov.cn"
//! source = "https://yueyang.example.gov.cn"   # or a path to its built output
//! optional = false
//! ```

use crate::diag::Diagnostic;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;
use toml::Spanned;

/// One `[[member]]` entry as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMember {
    id: Spanned<String>,
    #[serde(default)]
    name: Option<String>,
    base_url: Spanned<String>,
    source: Spanned<String>,
    #[serde(default)]
    optional: bool,
}

/// The `[portal]` table as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPortal {
    #[serde(default)]
    connect_timeout: Option<Spanned<f64>>,
    #[serde(default)]
    read_timeout: Option<Spanned<f64>>,
    #[serde(default)]
    retries: Option<Spanned<u32>>,
    #[serde(default)]
    retry_delay: Option<Spanned<f64>>,
    #[serde(default)]
    parallel: Option<Spanned<usize>>,
}

/// Where a member's built output is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Its output directory (a CI artifact), absolute or relative to the
    /// portal site's root (already joined to it).
    Dir(PathBuf),
    /// The URL of its published root, without a trailing slash.
    Url(String),
}

/// A member site of the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Unique id (also the folder of its cached copy).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The member's own base URL, without a trailing slash: its export must
    /// say the same, and every item link must be under it.
    pub base_url: String,
    /// Where its export is read from.
    pub source: Source,
    /// The portal may be built without it when it has never been fetched.
    pub optional: bool,
}

/// How members are fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchSettings {
    /// Longest wait for a connection.
    pub connect_timeout: Duration,
    /// Longest wait for the next data while reading a response.
    pub read_timeout: Duration,
    /// Retries after a failed request (a request is tried `retries + 1` times).
    pub retries: u32,
    /// Wait before the first retry; doubled before each next one.
    pub retry_delay: Duration,
    /// Members fetched at the same time.
    pub parallel: usize,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            retries: 3,
            retry_delay: Duration::from_secs(1),
            parallel: 8,
        }
    }
}

/// The checked portal configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalConfig {
    /// The members, in `site.toml` order.
    pub members: Vec<Member>,
    /// Fetch settings.
    pub fetch: FetchSettings,
}

/// Check the raw entries of `site.toml` (`file` and `text` are its name and
/// content, for positions; `root` is the site root that relative sources
/// start from). Every problem is reported.
pub fn resolve_portal(
    (file, text): (&str, &str),
    root: &Path,
    members: Vec<RawMember>,
    portal: Option<RawPortal>,
) -> Result<PortalConfig, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut error = |span: std::ops::Range<usize>, field: &str, message: String| {
        let (line, column) = crate::config::line_column(text, span.start);
        diags.push(Diagnostic::error(file, line, column, message).with_field(field));
    };
    let fetch = fetch_settings(portal.unwrap_or_default(), &mut error);
    let mut resolved: Vec<Member> = Vec::with_capacity(members.len());
    for raw in members {
        let member = resolve_member(raw, root, &resolved, &mut error);
        resolved.push(member);
    }
    if diags.is_empty() {
        Ok(PortalConfig {
            members: resolved,
            fetch,
        })
    } else {
        Err(diags)
    }
}

type Report<'a> = dyn FnMut(std::ops::Range<usize>, &str, String) + 'a;

/// One member, checked against the members before it.
fn resolve_member(raw: RawMember, root: &Path, before: &[Member], error: &mut Report) -> Member {
    let RawMember {
        id,
        name,
        base_url,
        source,
        optional,
    } = raw;
    let id_text = id.get_ref().clone();
    if !crate::content::identity::is_safe_segment(&id_text) {
        let message = format!("成员 id “{id_text}” 不能为空，也不能包含 / \\ 或 ..");
        error(id.span(), "id", message);
    } else if before.iter().any(|m| m.id == id_text) {
        error(id.span(), "id", format!("成员 id “{id_text}” 重复"));
    }
    let url = parse_base_url(base_url.get_ref()).unwrap_or_else(|| {
        let message = format!(
            "成员 {id_text} 的 base_url “{}” 不是 http:// 或 https:// 开头的网址（不能带 ? 或 #）",
            base_url.get_ref()
        );
        error(base_url.span(), "base_url", message);
        String::new()
    });
    if !url.is_empty() && before.iter().any(|m| m.base_url == url) {
        let message = format!("成员 {id_text} 的 base_url “{url}” 与另一成员相同");
        error(base_url.span(), "base_url", message);
    }
    let member_source = parse_source(source.get_ref(), root).unwrap_or_else(|message| {
        let message = format!("成员 {id_text} 的 source {message}");
        error(source.span(), "source", message);
        Source::Url(String::new())
    });
    Member {
        name: name.unwrap_or_else(|| id_text.clone()),
        id: id_text,
        base_url: url,
        source: member_source,
        optional,
    }
}

fn fetch_settings(raw: RawPortal, error: &mut Report) -> FetchSettings {
    let RawPortal {
        connect_timeout,
        read_timeout,
        retries,
        retry_delay,
        parallel,
    } = raw;
    let defaults = FetchSettings::default();
    let mut seconds = |value: Option<Spanned<f64>>, key: &str, default: Duration, min: f64| {
        let Some(value) = value else { return default };
        let s = *value.get_ref();
        if s.is_finite() && (min..=3600.0).contains(&s) {
            Duration::from_secs_f64(s)
        } else {
            let message = format!("{key} 应在 {min} 到 3600 秒之间，而不是 {s}");
            error(value.span(), key, message);
            default
        }
    };
    let connect = seconds(
        connect_timeout,
        "connect_timeout",
        defaults.connect_timeout,
        0.001,
    );
    let read = seconds(read_timeout, "read_timeout", defaults.read_timeout, 0.001);
    let delay = seconds(retry_delay, "retry_delay", defaults.retry_delay, 0.0);
    let retries = count(retries, ("retries", 0..=10), defaults.retries, error);
    let parallel = count(parallel, ("parallel", 1..=64), defaults.parallel, error);
    FetchSettings {
        connect_timeout: connect,
        read_timeout: read,
        retries,
        retry_delay: delay,
        parallel,
    }
}

/// A whole number in `range`, else the default and an error at `key`.
fn count<T>(
    value: Option<Spanned<T>>,
    (key, range): (&str, std::ops::RangeInclusive<T>),
    default: T,
    error: &mut Report,
) -> T
where
    T: Copy + PartialOrd + std::fmt::Display,
{
    let Some(value) = value else { return default };
    let n = *value.get_ref();
    if range.contains(&n) {
        return n;
    }
    let message = format!(
        "{key} 应在 {} 到 {} 之间，而不是 {n}",
        range.start(),
        range.end()
    );
    error(value.span(), key, message);
    default
}

/// An absolute `http(s)` base URL without a trailing slash, or `None`:
/// a host of letters, digits, `-` and `.` (or a bracketed IPv6 address)
/// with an optional port, and a path without white space, `?` or `#`.
pub fn parse_base_url(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (h, Some(p)),
        _ => (authority, None),
    };
    let host_ok = if let Some(v6) = host.strip_prefix('[') {
        v6.strip_suffix(']')
            .is_some_and(|a| !a.is_empty() && a.chars().all(|c| c.is_ascii_hexdigit() || c == ':'))
    } else {
        !host.is_empty()
            && !host.starts_with(['.', '-'])
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    };
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    let path_ok = !path
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "?#\\\"<>".contains(c));
    (host_ok && port_ok && path_ok).then(|| url.to_string())
}

/// A member's source: an `http(s)` URL, or a directory path (relative to
/// `root`). The message says what is wrong (after “source”).
fn parse_source(source: &str, root: &Path) -> Result<Source, String> {
    let trimmed = source.trim();
    if trimmed.is_empty() {
        return Err("不能为空：写成员构建输出的目录，或它发布的网址".to_string());
    }
    if let Some((scheme, _)) = trimmed.split_once("://") {
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(format!("“{trimmed}” 只能是目录或 http(s) 网址"));
        }
        return parse_base_url(trimmed)
            .map(Source::Url)
            .ok_or_else(|| format!("“{trimmed}” 不是有效的网址（不能带 ? 或 #）"));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(format!("“{}” 含有控制字符", trimmed.escape_debug()));
    }
    let path = root.join(trimmed);
    if !path.exists() && looks_like_host(trimmed) {
        return Err(format!(
            "“{trimmed}” 不是已有的目录，像是少写了 https:// 的网址"
        ));
    }
    Ok(Source::Dir(path))
}

/// `gk.example.gov.cn` or `gk.example.gov.cn/root`: a first segment of
/// letters, digits, `-` and at least two dots, as a host name has.
fn looks_like_host(path: &str) -> bool {
    let first = path.split('/').next().unwrap_or("");
    first.matches('.').count() >= 2
        && !first.starts_with('.')
        && first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && first
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_alphabetic()) && !tld.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Site {
        #[serde(default)]
        member: Vec<RawMember>,
        portal: Option<RawPortal>,
    }

    fn resolve(text: &str) -> Result<PortalConfig, Vec<Diagnostic>> {
        let root = Path::new("/site");
        let site: Site = toml::from_str(text).unwrap();
        resolve_portal(("site.toml", text), root, site.member, site.portal)
    }

    fn messages(text: &str) -> Vec<(usize, usize, String)> {
        resolve(text)
            .unwrap_err()
            .into_iter()
            .map(|d| (d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn members_and_settings_are_read_with_defaults() {
        let config = resolve(
            "[portal]\nconnect_timeout = 2\nread_timeout = 0.5\n\n\
             [[member]]\nid = \"yueyang\"\nname = \"岳阳市\"\nbase_url = \"https://yy.example.gov.cn/\"\n\
             source = \"https://cdn.example.gov.cn/yy\"\n\n\
             [[member]]\nid = \"hengyang\"\nbase_url = \"http://hy.example.gov.cn:8080/gk\"\n\
             source = \"members/hengyang/public\"\noptional = true\n",
        )
        .unwrap();
        assert_eq!(config.fetch.connect_timeout, Duration::from_secs(2));
        assert_eq!(config.fetch.read_timeout, Duration::from_millis(500));
        assert_eq!(config.fetch.retries, 3);
        let [yy, hy] = &config.members[..] else {
            panic!()
        };
        assert_eq!(yy.base_url, "https://yy.example.gov.cn");
        assert_eq!(
            yy.source,
            Source::Url("https://cdn.example.gov.cn/yy".into())
        );
        assert!(!yy.optional);
        assert_eq!(hy.name, "hengyang", "the name defaults to the id");
        assert_eq!(
            hy.source,
            Source::Dir(Path::new("/site/members/hengyang/public").into())
        );
        assert!(hy.optional);
        assert_eq!(resolve("").unwrap().fetch, FetchSettings::default());
    }

    #[test]
    fn two_members_with_the_same_id_are_an_error_at_the_second() {
        let found = messages(
            "[[member]]\nid = \"a\"\nbase_url = \"https://a.example\"\nsource = \"a\"\n\
             [[member]]\nid = \"a\"\nbase_url = \"https://b.example\"\nsource = \"b\"\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (6, 6));
        assert!(found[0].2.contains("成员 id “a” 重复"));
    }

    #[test]
    fn bad_base_urls_are_errors() {
        for bad in [
            "gk.example.gov.cn",
            "ftp://gk.example.gov.cn",
            "https://",
            "https://gk.example.gov.cn/?x=1",
            "https://gk.example.gov.cn/#top",
            "https://gk example.gov.cn",
            "https://user@gk.example.gov.cn",
            "https://gk.example.gov.cn:80a",
        ] {
            let text = format!("[[member]]\nid = \"a\"\nbase_url = \"{bad}\"\nsource = \"out\"\n");
            let found = messages(&text);
            assert_eq!(found.len(), 1, "{bad}: {found:?}");
            assert_eq!((found[0].0, found[0].1), (3, 12), "{bad}");
            assert!(found[0].2.contains("base_url"), "{bad}: {}", found[0].2);
        }
        assert_eq!(
            parse_base_url("https://[::1]:8443/gk/").as_deref(),
            Some("https://[::1]:8443/gk")
        );
    }

    #[test]
    fn a_source_must_be_a_path_or_an_http_url() {
        for (bad, says) in [
            ("", "不能为空"),
            ("ftp://a.example/out", "http(s)"),
            ("file:///srv/out", "http(s)"),
            ("https://a.example/out?x", "不是有效的网址"),
            ("yueyang.example.gov.cn", "少写了 https://"),
        ] {
            let text = format!(
                "[[member]]\nid = \"a\"\nbase_url = \"https://a.example\"\nsource = \"{bad}\"\n"
            );
            let found = messages(&text);
            assert_eq!(found.len(), 1, "{bad}: {found:?}");
            assert_eq!(found[0].0, 4, "{bad}");
            assert!(found[0].2.contains(says), "{bad}: {}", found[0].2);
        }
    }

    #[test]
    fn every_problem_is_reported_in_one_run() {
        let found = messages(
            "[portal]\nread_timeout = 0\nparallel = 0\nretries = 99\n\
             [[member]]\nid = \"../x\"\nbase_url = \"nope\"\nsource = \"gopher://x\"\n\
             [[member]]\nid = \"b\"\nbase_url = \"https://b.example\"\nsource = \"b\"\n\
             [[member]]\nid = \"c\"\nbase_url = \"https://b.example/\"\nsource = \"c\"\n",
        );
        let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
        assert_eq!(lines, [2, 4, 3, 6, 7, 8, 15], "{found:?}");
        assert!(found[6].2.contains("与另一成员相同"));
    }

    #[test]
    fn unknown_keys_are_errors() {
        let text = "[[member]]\nid = \"a\"\nbase_url = \"https://a.example\"\nsource = \"a\"\nurl = \"x\"\n";
        assert!(toml::from_str::<Site>(text).is_err());
        assert!(toml::from_str::<Site>("[portal]\ntimeout = 3\n").is_err());
    }
}
