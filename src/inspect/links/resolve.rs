//! What a link value points at: another site, a mail address, or a file of
//! this site, and which file (the key the checker looks up: a path relative
//! to the output root, percent-decoded, `index.html` for a directory).

/// Where the site is served: scheme, host and base path of its `base_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteAddress {
    https: bool,
    host: String,
    base_path: String,
}

/// What kind of link a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link<'a> {
    /// Nothing to check: empty, `mailto:`, `tel:`, `data:`, an `https:`
    /// link to another site, another scheme.
    Skip,
    /// `javascript:` (the theme and sanitised Markdown never write one).
    Script,
    /// A link to another site; `insecure` when it is `http:` from an
    /// `https:` site.
    External {
        /// `http:` from an `https:` site.
        insecure: bool,
    },
    /// `#fragment` on the page itself.
    SamePage {
        /// The fragment as written (not yet percent-decoded).
        fragment: &'a [u8],
    },
    /// A root-relative link outside the site's base path (`/x/` from a
    /// site at `/gk`).
    OutsideBase,
    /// A file of this site.
    Internal {
        /// The path: starts with `/` (relative to the base path) when
        /// `root`, relative to the page otherwise.
        path: &'a [u8],
        /// Root-relative.
        root: bool,
        /// The fragment, if any, as written.
        fragment: Option<&'a [u8]>,
        /// Written as `http:` on an `https:` site.
        insecure: bool,
    },
}

impl SiteAddress {
    /// The address of a site from its `base_url` (`https://host[:port][/path]`).
    pub fn parse(base_url: &str) -> Option<SiteAddress> {
        let (scheme, rest) = base_url.split_once("://")?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return None,
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = normal_host(&rest.as_bytes()[..end], https)?;
        let path = rest[end..].split(['?', '#']).next().unwrap_or("");
        Some(SiteAddress {
            https,
            host,
            base_path: path.trim_end_matches('/').to_string(),
        })
    }

    /// True for an `https:` site.
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// The base path, without trailing slash (`""` at the domain root).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// Classify one link value (entity-decoded, as written in the page).
    pub fn classify<'a>(&self, value: &'a [u8]) -> Link<'a> {
        let value = value.trim_ascii();
        match value {
            [] => Link::Skip,
            [b'#', fragment @ ..] => Link::SamePage { fragment },
            [b'/', b'/', rest @ ..] => self.absolute(rest, self.https),
            [b'/', ..] => self.root_relative(value, false),
            _ => match scheme(value) {
                Some(scheme) if scheme.eq_ignore_ascii_case(b"https") => {
                    self.after_scheme(&value[6..], true)
                }
                Some(scheme) if scheme.eq_ignore_ascii_case(b"http") => {
                    self.after_scheme(&value[5..], false)
                }
                Some(scheme) if scheme.eq_ignore_ascii_case(b"javascript") => Link::Script,
                Some(_) => Link::Skip,
                None => relative(value),
            },
        }
    }

    /// `//host/path…` after the colon of an `http:` or `https:` link.
    fn after_scheme<'a>(&self, rest: &'a [u8], https: bool) -> Link<'a> {
        match rest {
            [b'/', b'/', rest @ ..] => self.absolute(rest, https),
            // `http:path` without slashes: nothing a browser resolves well.
            _ => Link::External {
                insecure: self.https && !https,
            },
        }
    }

    /// `host[:port]/path…` of an absolute link using `https` or not.
    fn absolute<'a>(&self, rest: &'a [u8], https: bool) -> Link<'a> {
        let insecure = self.https && !https;
        let end = rest
            .iter()
            .position(|b| matches!(b, b'/' | b'?' | b'#'))
            .unwrap_or(rest.len());
        let own = normal_host(&rest[..end], https).is_some_and(|h| h == self.host);
        if !own {
            return Link::External { insecure };
        }
        match &rest[end..] {
            [b'/', ..] => self.root_relative(&rest[end..], insecure),
            // `https://host` or `https://host?x`: the home page.
            other => match self.root_relative(b"/", insecure) {
                Link::Internal { path, root, .. } => Link::Internal {
                    path,
                    root,
                    fragment: other
                        .iter()
                        .position(|&b| b == b'#')
                        .map(|at| &other[at + 1..]),
                    insecure,
                },
                link => link,
            },
        }
    }

    /// `/path?query#fragment`, checked against the base path.
    fn root_relative<'a>(&self, value: &'a [u8], insecure: bool) -> Link<'a> {
        let (path, fragment) = split_path(value);
        let base = self.base_path.as_bytes();
        if base.is_empty() {
            return Link::Internal {
                path,
                root: true,
                fragment,
                insecure,
            };
        }
        let inside = match path.strip_prefix(base) {
            Some([]) => Some(&b"/"[..]),
            Some(rest @ [b'/', ..]) => Some(rest),
            _ => None,
        };
        match inside {
            Some(path) => Link::Internal {
                path,
                root: true,
                fragment,
                insecure,
            },
            None => Link::OutsideBase,
        }
    }
}

fn relative(value: &[u8]) -> Link<'_> {
    let (path, fragment) = split_path(value);
    match (path, fragment) {
        ([], Some(fragment)) => Link::SamePage { fragment },
        ([], None) => Link::Skip,
        _ => Link::Internal {
            path,
            root: false,
            fragment,
            insecure: false,
        },
    }
}

/// The path and the fragment of a link (the query dropped).
fn split_path(value: &[u8]) -> (&[u8], Option<&[u8]>) {
    let (before, fragment) = match memchr::memchr(b'#', value) {
        Some(at) => (&value[..at], Some(&value[at + 1..])),
        None => (value, None),
    };
    let path = match memchr::memchr(b'?', before) {
        Some(at) => &before[..at],
        None => before,
    };
    (path, fragment)
}

/// The scheme of an absolute URL (`mailto`, `https`), if it has one.
fn scheme(value: &[u8]) -> Option<&[u8]> {
    let colon = value
        .iter()
        .position(|b| matches!(b, b':' | b'/' | b'?' | b'#'))?;
    let scheme = &value[..colon];
    let valid = value[colon] == b':'
        && scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    valid.then_some(scheme)
}

/// A host as compared: lower case, no user name, no default port.
fn normal_host(authority: &[u8], https: bool) -> Option<String> {
    let authority = match memchr::memrchr(b'@', authority) {
        Some(at) => &authority[at + 1..],
        None => authority,
    };
    let text = std::str::from_utf8(authority).ok()?.to_ascii_lowercase();
    let default_port = if https { ":443" } else { ":80" };
    let host = text.strip_suffix(default_port).unwrap_or(&text);
    (!host.is_empty()).then(|| host.to_string())
}

/// Write into `out` the key of the file `path` leads to from the page
/// `page` (a path relative to the output root): segments percent-decoded,
/// `.` and `..` applied, `index.html` added for a directory. A key without
/// `index.html` may also name a directory (`/a/b` for `/a/b/`): the
/// checker tries both. `Err` when `..` climbs above the site.
pub fn target_key(
    out: &mut Vec<u8>,
    starts: &mut Vec<usize>,
    page: &[u8],
    path: &[u8],
    root: bool,
) -> Result<(), ()> {
    out.clear();
    starts.clear();
    let body = if root {
        path.get(1..).unwrap_or_default()
    } else {
        if let Some(slash) = memchr::memrchr(b'/', page) {
            for segment in page[..slash].split(|&b| b == b'/') {
                starts.push(out.len());
                out.extend_from_slice(segment);
                out.push(b'/');
            }
        }
        path
    };
    let mut directory = true;
    let count = body.split(|&b| b == b'/').count();
    for (index, segment) in body.split(|&b| b == b'/').enumerate() {
        let at = out.len();
        percent_decode_into(out, segment);
        match &out[at..] {
            b"." => {
                out.truncate(at);
                directory = true;
            }
            b".." => {
                out.truncate(starts.pop().ok_or(())?);
                directory = true;
            }
            [] if index + 1 == count => directory = true,
            _ => {
                starts.push(at);
                out.push(b'/');
                directory = false;
            }
        }
    }
    if directory {
        out.extend_from_slice(b"index.html");
    } else {
        out.pop();
    }
    Ok(())
}

/// Append `text` with `%XX` escapes decoded (a stray `%` stays as it is).
pub fn percent_decode_into(out: &mut Vec<u8>, text: &[u8]) {
    if memchr::memchr(b'%', text).is_none() {
        out.extend_from_slice(text);
    } else {
        out.extend(percent_encoding::percent_decode(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(page: &str, path: &str, root: bool) -> Option<String> {
        let (mut out, mut starts) = (Vec::new(), Vec::new());
        target_key(
            &mut out,
            &mut starts,
            page.as_bytes(),
            path.as_bytes(),
            root,
        )
        .ok()?;
        Some(String::from_utf8(out).unwrap())
    }

    #[test]
    fn keys_of_root_relative_and_relative_links() {
        assert_eq!(key("a/b/index.html", "/", true).unwrap(), "index.html");
        assert_eq!(
            key("a/b/index.html", "/x/y/", true).unwrap(),
            "x/y/index.html"
        );
        assert_eq!(key("a/b/index.html", "/x/y", true).unwrap(), "x/y");
        assert_eq!(
            key("a/b/index.html", "qr.png", false).unwrap(),
            "a/b/qr.png"
        );
        assert_eq!(
            key("a/b/index.html", "../c/", false).unwrap(),
            "a/c/index.html"
        );
        assert_eq!(
            key("a/b/index.html", "./", false).unwrap(),
            "a/b/index.html"
        );
        assert_eq!(key("a/b/index.html", "..", false).unwrap(), "a/index.html");
        assert_eq!(
            key("index.html", "x/./y/../z.pdf", false).unwrap(),
            "x/z.pdf"
        );
        assert_eq!(
            key("a/index.html", "../../x/", false),
            None,
            "above the site"
        );
        assert_eq!(key("a/index.html", "/a//b", true).unwrap(), "a//b");
    }

    #[test]
    fn keys_are_percent_decoded() {
        let link = "/catalog/topic/%E5%8D%AB%E7%94%9F%E3%80%81%E4%BD%93%E8%82%B2/";
        assert_eq!(
            key("index.html", link, true).unwrap(),
            "catalog/topic/卫生、体育/index.html"
        );
        assert_eq!(
            key("index.html", "/a%2e%2E/%zz/100%", true).unwrap(),
            "a../%zz/100%"
        );
        assert_eq!(key("x/index.html", "%2E%2E/y", false).unwrap(), "y");
    }

    fn site(url: &str) -> SiteAddress {
        SiteAddress::parse(url).unwrap()
    }

    #[test]
    fn classifies_schemes_and_hosts() {
        let s = site("https://GK.example.gov.cn");
        assert_eq!(s.classify(b"mailto:a@b.cn"), Link::Skip);
        assert_eq!(s.classify(b"tel:12345"), Link::Skip);
        assert_eq!(s.classify(b" JavaScript:alert(1)"), Link::Script);
        assert_eq!(
            s.classify(b"https://www.gov.cn/"),
            Link::External { insecure: false }
        );
        assert_eq!(
            s.classify(b"http://www.gov.cn/"),
            Link::External { insecure: true }
        );
        assert_eq!(
            s.classify(b"//www.gov.cn/x"),
            Link::External { insecure: false }
        );
        assert_eq!(s.classify(b"#main"), Link::SamePage { fragment: b"main" });
        assert_eq!(s.classify(b"?page=2#x"), Link::SamePage { fragment: b"x" });
        assert_eq!(s.classify(b""), Link::Skip);
        let own = s.classify(b"http://gk.example.gov.cn:80/a/?x=1#f");
        assert_eq!(
            own,
            Link::Internal {
                path: b"/a/",
                root: true,
                fragment: Some(b"f"),
                insecure: true
            }
        );
        let home = s.classify(b"https://gk.example.gov.cn:443");
        assert_eq!(
            home,
            Link::Internal {
                path: b"/",
                root: true,
                fragment: None,
                insecure: false
            }
        );
        let http_site = site("http://gk.example.gov.cn");
        assert_eq!(
            http_site.classify(b"http://www.gov.cn/"),
            Link::External { insecure: false }
        );
    }

    #[test]
    fn sub_path_sites_strip_their_base_path() {
        let s = site("https://example.gov.cn/gk/");
        assert_eq!(s.base_path(), "/gk");
        assert_eq!(
            s.classify(b"/gk/a/"),
            Link::Internal {
                path: b"/a/",
                root: true,
                fragment: None,
                insecure: false
            }
        );
        assert_eq!(
            s.classify(b"/gk"),
            Link::Internal {
                path: b"/",
                root: true,
                fragment: None,
                insecure: false
            }
        );
        assert_eq!(s.classify(b"/gkx/a/"), Link::OutsideBase);
        assert_eq!(s.classify(b"/a/"), Link::OutsideBase);
        assert_eq!(
            s.classify(b"https://example.gov.cn/gk/q/ABC/"),
            Link::Internal {
                path: b"/q/ABC/",
                root: true,
                fragment: None,
                insecure: false
            }
        );
    }
}
