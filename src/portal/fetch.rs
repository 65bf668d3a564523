//! Fetching every member's export for a portal build (issue 17 item 3):
//! from its source, checked, kept as the member's last good copy; and when
//! the member cannot be reached or its export is not usable, its last good
//! copy with a warning naming the member and the reason. Faults never drop
//! a member silently: without any good copy the member is a [`Failure`],
//! which fails the build unless the member is optional.
//!
//! Members are fetched on a bounded number of threads
//! ([`FetchSettings::parallel`]); results come back in configuration order.

use super::cache::{Cache, CachedCopy, CopyFile, Validator};
use super::check::read_export;
use super::check::safe_relative_path;
use super::config::{FetchSettings, Member};
use super::contract;
use super::export::{Export, parse_site};
use super::search_text::SearchSource;
use super::transport::{Client, Got};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A member's export for the portal build.
#[derive(Debug)]
pub struct Fetched {
    /// The export: fresh, or the last good copy.
    pub export: Export,
    /// Set when the export is not the member's current one (or could not
    /// be kept in the cache): names the member and says why.
    pub warning: Option<String>,
}

/// A member the portal has no export of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Names the member and says why, in Chinese.
    pub reason: String,
    /// The member's entry says it may be missing: the portal is built
    /// without it (with a warning) instead of failing.
    pub optional: bool,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.optional {
            write!(f, "{}（该成员可缺少：本次门户不含它）", self.reason)
        } else {
            f.write_str(&self.reason)
        }
    }
}

/// What the portal build gets for one member.
pub type MemberResult = Result<Fetched, Failure>;

/// Fetch every member, `settings.parallel` at a time, keeping good copies
/// under `cache_dir` (a site's `.gongkai-cache`). One result per member,
/// in the order of `members`.
pub fn fetch_members(
    members: &[Member],
    settings: &FetchSettings,
    cache_dir: &Path,
) -> Vec<MemberResult> {
    let client = Client::new(settings);
    let cache = Cache::new(cache_dir);
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<MemberResult>>> =
        members.iter().map(|_| Mutex::new(None)).collect();
    let workers = settings.parallel.clamp(1, members.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let (Some(member), Some(slot)) = (members.get(i), slots.get(i)) else {
                        break;
                    };
                    let result = fetch_member(member, &client, &cache);
                    *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
                }
            });
        }
    });
    slots
        .into_iter()
        .zip(members)
        .map(|(slot, member)| {
            let result = slot.into_inner().unwrap_or_else(|p| p.into_inner());
            result.unwrap_or_else(|| Err(failure(member, "未能获取".to_string())))
        })
        .collect()
}

/// Fetch one member, falling back to its last good copy.
pub fn fetch_member(member: &Member, client: &Client, cache: &Cache) -> MemberResult {
    // The id names the member's cache folder (the configuration checks it;
    // this keeps a hand-made `Member` from reaching outside the cache).
    if !crate::content::identity::is_safe_segment(&member.id) {
        return Err(failure(
            member,
            "id 不能为空，也不能包含 / \\ 或 ..".to_string(),
        ));
    }
    let cached = cache.current(&member.id);
    match fetch_fresh(member, client, cache, cached.as_ref()) {
        Ok(fetched) => Ok(fetched),
        Err(reason) => fall_back(member, cached, &reason),
    }
}

fn label(member: &Member) -> String {
    if member.name == member.id {
        format!("成员 {}", member.id)
    } else {
        format!("成员 {}（{}）", member.id, member.name)
    }
}

fn failure(member: &Member, reason: String) -> Failure {
    Failure {
        reason: format!("{}：{reason}", label(member)),
        optional: member.optional,
    }
}

/// The member's last good copy, or the failure.
fn fall_back(member: &Member, cached: Option<CachedCopy>, reason: &str) -> MemberResult {
    let Some(copy) = cached else {
        return Err(failure(member, format!("{reason}；缓存中没有它的副本")));
    };
    match load_copy(&copy, &member.base_url) {
        Ok(export) => {
            let warning = format!(
                "{}：{reason}；本次使用上次获取成功的副本（生成于 {}）",
                label(member),
                export.site.generated
            );
            Ok(Fetched {
                export,
                warning: Some(warning),
            })
        }
        Err(e) => Err(failure(
            member,
            format!("{reason}；缓存中的副本也不可用：{e}"),
        )),
    }
}

/// Read and check a copy in the cache (against today's configuration:
/// a copy that no longer matches it is not good).
fn load_copy(copy: &CachedCopy, base_url: &str) -> Result<Export, String> {
    let read = |file: CopyFile| std::fs::read(copy.path(file)).map_err(|e| e.to_string());
    let search = SearchSource::File(copy.path(CopyFile::Search));
    read_export(
        &read(CopyFile::Site)?,
        &read(CopyFile::Items)?,
        search,
        base_url,
    )
    .map_err(|e| e.to_string())
}

/// The three files as the source gave them, with their validators.
struct Downloaded {
    files: BTreeMap<CopyFile, Vec<u8>>,
    validators: BTreeMap<String, Validator>,
}

/// Get the member's export from its source, check it and keep it.
fn fetch_fresh(
    member: &Member,
    client: &Client,
    cache: &Cache,
    cached: Option<&CachedCopy>,
) -> Result<Fetched, String> {
    let got = download(member, client, cached)?;
    let file = |f: CopyFile| got.files.get(&f).map_or(&[][..], Vec::as_slice);
    let search: std::sync::Arc<[u8]> = file(CopyFile::Search).into();
    let mut export = read_export(
        file(CopyFile::Site),
        file(CopyFile::Items),
        SearchSource::Bytes(search),
        &member.base_url,
    )
    .map_err(|e| e.to_string())?;
    if let Some(copy) = cached.filter(|c| same_copy(c, &got)) {
        export.search = SearchSource::File(copy.path(CopyFile::Search));
        return Ok(Fetched {
            export,
            warning: None,
        });
    }
    let files: Vec<(CopyFile, &[u8])> = CopyFile::ALL.iter().map(|&f| (f, file(f))).collect();
    match cache.store(&member.id, &files, &got.validators) {
        Ok(copy) => {
            export.search = SearchSource::File(copy.path(CopyFile::Search));
            Ok(Fetched {
                export,
                warning: None,
            })
        }
        Err(e) => Ok(Fetched {
            export,
            warning: Some(format!("{}：无法保存到缓存：{e}", label(member))),
        }),
    }
}

/// Get the three files: `site.json` first, which names the other two.
fn download(
    member: &Member,
    client: &Client,
    cached: Option<&CachedCopy>,
) -> Result<Downloaded, String> {
    let site = get_file(
        member,
        client,
        cached,
        (CopyFile::Site, contract::SITE_FILE),
    )?;
    let info = parse_site(&site.0).map_err(|e| e.to_string())?;
    let relative = |what: &str, path: &str| {
        safe_relative_path(path)
            .map(str::to_string)
            .ok_or_else(|| format!("site.json 的 files.{what} “{path}” 不是网站内的相对路径"))
    };
    let items_rel = relative("items", &info.files.items)?;
    let search_rel = relative("search", &info.files.search)?;
    let items = get_file(member, client, cached, (CopyFile::Items, &items_rel))?;
    let search = get_file(member, client, cached, (CopyFile::Search, &search_rel))?;
    let mut got = Downloaded {
        files: BTreeMap::new(),
        validators: BTreeMap::new(),
    };
    for (file, (bytes, validator)) in CopyFile::ALL.into_iter().zip([site, items, search]) {
        got.files.insert(file, bytes);
        got.validators.insert(file.name().to_string(), validator);
    }
    Ok(got)
}

/// One file from the member's source, or from the cached copy when the
/// server answers that it has not changed.
fn get_file(
    member: &Member,
    client: &Client,
    cached: Option<&CachedCopy>,
    (file, rel): (CopyFile, &str),
) -> Result<(Vec<u8>, Validator), String> {
    let known = cached.and_then(|c| c.validator(file));
    match client.get(&member.source, rel, known)? {
        Got::Body(bytes, validator) => Ok((bytes, validator)),
        Got::NotModified => {
            // Only asked with a cached copy's validator.
            let copy = cached.ok_or_else(|| format!("{rel}：意外的 304 回答"))?;
            let path = copy.path(file);
            let bytes = std::fs::read(&path)
                .map_err(|e| format!("缓存中的 {} 无法读取：{e}", path.display()))?;
            Ok((bytes, known.cloned().unwrap_or_default()))
        }
    }
}

/// True when the cached copy has the same bytes and validators.
fn same_copy(copy: &CachedCopy, got: &Downloaded) -> bool {
    copy.validators == got.validators
        && got.files.iter().all(|(file, bytes)| {
            let path = copy.path(*file);
            std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64)
                && std::fs::read(&path).is_ok_and(|on_disk| on_disk == *bytes)
        })
}
