//! The library: every item and intro text of a site, loaded in parallel,
//! validated together, with ids, 索引号, short codes and references resolved.

use super::annual_report::{self, AnnualReport, ReportFile};
use super::front::{self, Common, KindFields, Reference};
use super::identity::{self, IndexParts};
use super::source;
use super::syntax;
use super::words::Kind;
use crate::config::{Config, District};
use crate::date::Date;
use crate::diag::{Diagnostic, Diagnostics, Severity, display_path};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// One published or unpublished item.
#[derive(Debug, Clone)]
pub struct Item {
    /// `<district>/<column>/<slug>`.
    pub id: String,
    /// Index into [`Library::districts`].
    pub district: usize,
    /// Index into [`Config::columns`].
    pub column: usize,
    /// Last segment of the id and URL.
    pub slug: String,
    /// Source file relative to the site root, for messages.
    pub source: String,
    /// The bundle folder when the item is `<slug>/index.md`.
    pub bundle_dir: Option<PathBuf>,
    /// Fields every kind has.
    pub common: Common,
    /// Kind-specific fields.
    pub fields: KindFields,
    /// Markdown body.
    pub body: String,
    /// File line where the body starts.
    pub body_line: usize,
    /// Hash of the front matter text, which is all `common` and `fields`
    /// come from (see `render::plan::shown_key`).
    pub front_hash: u128,
    /// 索引号, as written or derived.
    pub index_no: String,
    /// 8-character short code.
    pub short_code: String,
    /// Resolved references: (field, index of the target item).
    pub links: Vec<(&'static str, usize)>,
    /// Whether the item appears on the site in this build.
    pub published: bool,
    /// Problems that do not stop the build, found while reading the file
    /// (a draft's required fields not yet filled in).
    pub warnings: Vec<Diagnostic>,
}

impl Item {
    /// The kind.
    pub fn kind(&self) -> Kind {
        self.fields.kind()
    }
}

/// Intro text of a district or column (`_index.md`).
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Title from front matter, if any.
    pub title: Option<String>,
    /// Summary from front matter, if any.
    pub summary: Option<String>,
    /// Markdown body.
    pub body: String,
}

/// Every item of the site, validated.
#[derive(Debug, Clone)]
pub struct Library {
    /// Districts: declared in site.toml, or the folders under content/.
    pub districts: Vec<District>,
    /// Items sorted by id.
    pub items: Vec<Item>,
    /// Intro texts by (district index, column index or None).
    pub sections: HashMap<(usize, Option<usize>), Section>,
    /// The date builds are made for.
    pub today: Date,
    /// 政府信息公开工作年度报告, by district and year (`<district>/_annual/`).
    pub annual_reports: Vec<AnnualReport>,
}

/// Options that change which items are published.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Publish drafts too.
    pub drafts: bool,
    /// "Today" for scheduled items.
    pub today: Date,
}

enum FileRole {
    Item {
        district: String,
        column: String,
        slug: String,
        bundle: bool,
    },
    Section {
        district: String,
        column: Option<String>,
    },
}

struct Found {
    path: PathBuf,
    rel: String,
    role: FileRole,
}

/// Load and validate all content under `root/content`.
pub fn load(
    root: &Path,
    config: &Config,
    options: LoadOptions,
) -> Result<Library, Vec<Diagnostic>> {
    let mut diags = Diagnostics::new();
    let (found, report_files) = walk(root, &mut diags);
    let districts = resolve_districts(config, &found, &mut diags);
    let district_ids: Vec<&str> = districts.iter().map(|d| d.id.as_str()).collect();
    let context = annual_report::Context {
        districts: &district_ids,
        latest_year: options.today.year,
    };
    let (annual_reports, problems) = annual_report::load(&report_files, &context);
    diags.extend(problems);
    let parsed: Vec<(Option<Item>, Vec<Diagnostic>)> = found
        .par_iter()
        .filter(|f| matches!(f.role, FileRole::Item { .. }))
        .map(|f| {
            crate::timings::span(crate::timings::Span::Parse, || {
                parse_item(f, config, &districts, options.drafts)
            })
        })
        .collect();
    let mut items = Vec::new();
    for (item, problems) in parsed {
        diags.extend(problems);
        items.extend(item);
    }
    let sections = load_sections(&found, config, &districts, &mut diags);
    items.sort_by(|a, b| a.id.cmp(&b.id).then(a.source.cmp(&b.source)));
    for item in &mut items {
        item.published =
            (options.drafts || !item.common.draft) && item.common.date <= options.today;
    }
    check_identity(&mut items, &districts, &mut diags);
    resolve_references(&mut items, &districts, &mut diags);
    check_paths(&mut items, &mut diags);
    if diags.has_errors() {
        return Err(diags.into_sorted());
    }
    Ok(Library {
        districts,
        items,
        sections,
        today: options.today,
        annual_reports,
    })
}

/// The items and intro texts under `content/`, and the annual report files.
fn walk(root: &Path, diags: &mut Diagnostics) -> (Vec<Found>, Vec<ReportFile>) {
    let content = root.join("content");
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut found = Vec::new();
    let mut reports = Vec::new();
    let walker = walkdir::WalkDir::new(&content)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map_or_else(|| content.clone(), Path::to_path_buf);
                diags.push(Diagnostic::error(
                    display_path(root, &path),
                    1,
                    1,
                    format!("无法读取：{e}"),
                ));
                continue;
            }
        };
        let rel = display_path(root, entry.path());
        if entry.path_is_symlink() {
            if let Some(message) = link_problem(entry.path(), &canonical_root) {
                diags.push(Diagnostic::error(rel, 1, 1, message));
                continue;
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let parts: Vec<String> = entry
            .path()
            .strip_prefix(&content)
            .map(|p| p.iter().map(|s| s.to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        if annual_report::is_report_path(&parts) {
            let path = entry.path().to_path_buf();
            reports.push(ReportFile { path, rel });
        } else if let Some(role) = classify(&parts, &rel, diags) {
            found.push(Found {
                path: entry.path().to_path_buf(),
                rel,
                role,
            });
        }
    }
    (found, reports)
}

/// Why a symbolic link under `content/` is not followed, if it is not.
fn link_problem(path: &Path, canonical_root: &Path) -> Option<&'static str> {
    let target = path.canonicalize();
    if !target.as_ref().is_ok_and(|t| t.starts_with(canonical_root)) {
        return Some("符号链接指向网站目录之外（或已失效），不会被读取：请改为复制文件");
    }
    target
        .is_ok_and(|t| t.is_dir())
        .then_some("不支持指向目录的符号链接：请改为真实目录")
}

fn classify(parts: &[String], rel: &str, diags: &mut Diagnostics) -> Option<FileRole> {
    let is_md = parts.last().is_some_and(|n| n.ends_with(".md"));
    let role = match parts {
        [d, name] if name == "_index.md" => FileRole::Section {
            district: d.clone(),
            column: None,
        },
        [d, c, name] if name == "_index.md" => FileRole::Section {
            district: d.clone(),
            column: Some(c.clone()),
        },
        [d, c, name] if is_md => FileRole::Item {
            district: d.clone(),
            column: c.clone(),
            slug: identity::slug_from_name(name.trim_end_matches(".md")),
            bundle: false,
        },
        [d, c, folder, name] if name == "index.md" => FileRole::Item {
            district: d.clone(),
            column: c.clone(),
            slug: identity::slug_from_name(folder),
            bundle: true,
        },
        _ if is_md && parts.len() < 4 => {
            let message = "文件位置不对：条目应放在 content/<区县>/<栏目>/ 下，例如 content/yueyang/policies/xxx.md";
            diags.push(Diagnostic::error(rel, 1, 1, message));
            return None;
        }
        _ => return None,
    };
    Some(role)
}

fn resolve_districts(config: &Config, found: &[Found], diags: &mut Diagnostics) -> Vec<District> {
    let mut folders: Vec<&str> = found
        .iter()
        .map(|f| match &f.role {
            FileRole::Item { district, .. } | FileRole::Section { district, .. } => {
                district.as_str()
            }
        })
        .collect();
    folders.dedup();
    if config.districts.is_empty() {
        folders.sort_unstable();
        folders.dedup();
        for f in found {
            let (FileRole::Item { district, .. } | FileRole::Section { district, .. }) = &f.role;
            if crate::config::RESERVED_DISTRICT_IDS.contains(&district.as_str()) {
                let message =
                    format!("目录名“{district}”是网站保留的目录名，不能用作区县目录，请改名");
                diags.push(Diagnostic::error(&f.rel, 1, 1, message));
            }
        }
        folders.retain(|f| !crate::config::RESERVED_DISTRICT_IDS.contains(f));
        return folders.into_iter().map(District::from_folder).collect();
    }
    for f in found {
        let (FileRole::Item { district, .. } | FileRole::Section { district, .. }) = &f.role;
        if !config.districts.iter().any(|d| &d.id == district) {
            let declared: Vec<&str> = config.districts.iter().map(|d| d.id.as_str()).collect();
            let message = format!(
                "区县目录“{district}”未在 site.toml 的 [[district]] 中声明；已声明的有：{}",
                declared.join("、")
            );
            diags.push(Diagnostic::error(&f.rel, 1, 1, message));
        }
    }
    config.districts.clone()
}

fn column_index(config: &Config, column: &str, rel: &str) -> Result<usize, Diagnostic> {
    config
        .columns
        .iter()
        .position(|c| c.id == column)
        .ok_or_else(|| {
            let declared: Vec<&str> = config.columns.iter().map(|c| c.id.as_str()).collect();
            let message = format!(
                "栏目目录“{column}”不是已知栏目；可用的栏目：{}",
                declared.join("、")
            );
            Diagnostic::error(rel, 1, 1, message)
        })
}

/// Re-read the item files `sources` (root-relative, as in [`Item::source`])
/// of a library loaded before, keeping every other item as it was, and
/// check the whole library again: for `serve`, where an edit touches one
/// file of thousands.
///
/// Returns the replaced versions of the re-read items with their indices,
/// or `Ok(None)` when a file is not an item the library has under the same
/// id (it moved, was renamed through its slug, or is a symbolic link), so
/// the caller must [`load`] everything. On errors the library is left as
/// it was.
pub fn reload(
    library: &mut Library,
    root: &Path,
    config: &Config,
    options: LoadOptions,
    sources: &[String],
) -> Result<Option<Vec<(usize, Item)>>, Vec<Diagnostic>> {
    let mut diags = Diagnostics::new();
    let mut fresh = Vec::new();
    for source in sources {
        let Some(index) = library.items.iter().position(|i| &i.source == source) else {
            return Ok(None);
        };
        let path = root.join(source);
        if path.is_symlink() {
            return Ok(None);
        }
        let parts: Vec<String> = source
            .strip_prefix("content/")
            .unwrap_or(source)
            .split('/')
            .map(str::to_string)
            .collect();
        let Some(role) = classify(&parts, source, &mut diags) else {
            return Ok(None);
        };
        let found = Found {
            path,
            rel: source.clone(),
            role,
        };
        let (item, problems) = crate::timings::span(crate::timings::Span::Parse, || {
            parse_item(&found, config, &library.districts, options.drafts)
        });
        diags.extend(problems);
        match item {
            Some(item) if item.id != library.items[index].id => return Ok(None),
            Some(mut item) => {
                item.published =
                    (options.drafts || !item.common.draft) && item.common.date <= library.today;
                fresh.push((index, item));
            }
            None => {}
        }
    }
    if diags.has_errors() {
        return Err(diags.into_sorted());
    }
    let mut replaced: Vec<(usize, Item)> = fresh
        .into_iter()
        .map(|(index, item)| (index, std::mem::replace(&mut library.items[index], item)))
        .collect();
    let districts = &library.districts;
    check_identity(&mut library.items, districts, &mut diags);
    resolve_references(&mut library.items, districts, &mut diags);
    check_paths(&mut library.items, &mut diags);
    if diags.has_errors() {
        for (index, item) in &mut replaced {
            std::mem::swap(&mut library.items[*index], item);
        }
        // Recompute what the checks derive (索引号, short codes, links)
        // for the restored items; they passed before.
        let mut again = Diagnostics::new();
        check_identity(&mut library.items, districts, &mut again);
        resolve_references(&mut library.items, districts, &mut again);
        return Err(diags.into_sorted());
    }
    Ok(Some(replaced))
}

/// Read one item file. `drafts`: drafts are published in this build, so
/// their missing required fields are errors too.
fn parse_item(
    found: &Found,
    config: &Config,
    districts: &[District],
    drafts: bool,
) -> (Option<Item>, Vec<Diagnostic>) {
    let FileRole::Item {
        district,
        column,
        slug,
        bundle,
    } = &found.role
    else {
        return (None, Vec::new());
    };
    let Some(district_index) = districts.iter().position(|d| &d.id == district) else {
        return (None, Vec::new()); // reported by resolve_districts
    };
    let column_index = match column_index(config, column, &found.rel) {
        Ok(i) => i,
        Err(d) => return (None, vec![d]),
    };
    let kind = config.columns[column_index].kind;
    let rel = found.rel.as_str();
    let bytes = match std::fs::read(&found.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return (
                None,
                vec![Diagnostic::error(rel, 1, 1, format!("无法读取：{e}"))],
            );
        }
    };
    let text = match source::decode(rel, &bytes) {
        Ok(text) => text,
        Err(d) => return (None, vec![d]),
    };
    let src = match source::split(rel, &text, true) {
        Ok(src) => src,
        Err(d) => return (None, vec![d]),
    };
    let (root, mut diags) = syntax::parse_front(rel, &src.yaml, src.yaml_line);
    let Some(root) = root else {
        return (None, diags);
    };
    let (front, problems) = front::read(rel, src.yaml_line - 1, &root, kind);
    let draft_kept_back = front.common.draft && !drafts;
    let (warnings, errors): (Vec<Diagnostic>, Vec<Diagnostic>) = problems
        .into_diagnostics(draft_kept_back)
        .into_iter()
        .partition(|d| d.severity == Severity::Warning);
    diags.extend(errors);
    let fields = front.kind;
    let common = front.common;
    let slug = common
        .slug
        .as_ref()
        .map_or_else(|| slug.clone(), |s| s.value.clone());
    let item = Item {
        id: format!("{district}/{column}/{slug}"),
        district: district_index,
        column: column_index,
        slug,
        source: rel.to_string(),
        bundle_dir: bundle
            .then(|| found.path.parent().map(Path::to_path_buf))
            .flatten(),
        common,
        fields,
        front_hash: crate::incremental::hash(src.yaml.as_bytes()),
        body: src.body,
        body_line: src.body_line,
        index_no: String::new(),
        short_code: String::new(),
        links: Vec::new(),
        published: true,
        warnings,
    };
    (Some(item), diags)
}

fn load_sections(
    found: &[Found],
    config: &Config,
    districts: &[District],
    diags: &mut Diagnostics,
) -> HashMap<(usize, Option<usize>), Section> {
    let mut sections = HashMap::new();
    for f in found {
        let FileRole::Section { district, column } = &f.role else {
            continue;
        };
        let Some(d) = districts.iter().position(|x| &x.id == district) else {
            continue;
        };
        let c = match column
            .as_deref()
            .map(|c| column_index(config, c, &f.rel))
            .transpose()
        {
            Ok(c) => c,
            Err(e) => {
                diags.push(e);
                continue;
            }
        };
        match read_section(f) {
            Ok(section) => {
                sections.insert((d, c), section);
            }
            Err(problems) => diags.extend(problems),
        }
    }
    sections
}

fn read_section(found: &Found) -> Result<Section, Vec<Diagnostic>> {
    const SPECS: &[super::fields::FieldSpec] = &[
        super::fields::spec("title", "标题"),
        super::fields::spec("summary", "摘要"),
    ];
    let rel = found.rel.as_str();
    let bytes = std::fs::read(&found.path)
        .map_err(|e| vec![Diagnostic::error(rel, 1, 1, format!("无法读取：{e}"))])?;
    let text = source::decode(rel, &bytes).map_err(|d| vec![d])?;
    let src = source::split(rel, &text, false).map_err(|d| vec![d])?;
    let (root, mut problems) = syntax::parse_front(rel, &src.yaml, src.yaml_line);
    let root = root.ok_or_else(|| problems.clone())?;
    let mut reader = super::fields::Reader::new(rel, src.yaml_line - 1, &root, SPECS);
    let section = Section {
        title: reader.text("title"),
        summary: reader.text("summary"),
        body: src.body,
    };
    problems.extend(reader.finish());
    if problems.is_empty() {
        Ok(section)
    } else {
        Err(problems)
    }
}

fn check_identity(items: &mut [Item], districts: &[District], diags: &mut Diagnostics) {
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut index_nos: HashMap<String, usize> = HashMap::new();
    let mut codes: HashMap<String, usize> = HashMap::new();
    for i in 0..items.len() {
        let district = &districts[items[i].district];
        let item = &mut items[i];
        if let Some(slug) = &item.common.slug
            && !identity::is_safe_segment(&slug.value)
        {
            let message = format!("slug “{}” 不能为空，也不能包含 / \\ 或 ..", slug.value);
            diags.push(
                Diagnostic::error(&item.source, slug.line, slug.column, message).with_field("slug"),
            );
        }
        item.index_no = match &item.common.index_no {
            Some(no) => no.value.clone(),
            None => identity::derived_index_no(
                &index_parts(district, item.common.date.year),
                item.common.date,
                &item.id,
            ),
        };
        item.short_code = identity::short_code(district.identity_code(), &item.index_no);
        let item = &items[i];
        if let Some(&first) = ids.get(&item.id) {
            let message = format!(
                "条目 id “{}” 与 {} 重复：请修改文件名或 slug",
                item.id, items[first].source
            );
            diags.push(Diagnostic::error(&item.source, 1, 1, message));
            continue; // its derived 索引号 would repeat the same problem
        }
        ids.insert(item.id.clone(), i);
        if let Some(&first) = index_nos.get(&item.index_no) {
            // Name both files: the editor must decide which one keeps the
            // number (the one already printed on a QR code).
            for (this, other) in [(i, first), (first, i)] {
                let item = &items[this];
                let (line, column) = item
                    .common
                    .index_no
                    .as_ref()
                    .map_or((1, 1), |p| (p.line, p.column));
                let message = format!(
                    "索引号“{}”与 {} 重复：索引号在全站必须唯一。请保留已发布（已印二维码）的那一个，修改另一个",
                    item.index_no, items[other].source
                );
                diags.push(
                    Diagnostic::error(&item.source, line, column, message).with_field("index_no"),
                );
            }
        } else {
            index_nos.insert(item.index_no.clone(), i);
            if let Some(&first) = codes.get(&item.short_code) {
                let message = format!(
                    "短码 {} 与 {} 的短码相同（极少见的冲突）：请修改其中一个条目的索引号",
                    item.short_code, items[first].source
                );
                diags.push(Diagnostic::error(&item.source, 1, 1, message).with_field("index_no"));
            } else {
                codes.insert(item.short_code.clone(), i);
            }
        }
    }
}

/// The parts of a district's 索引号 for a year.
pub fn index_parts(district: &District, year: u16) -> IndexParts<'_> {
    IndexParts {
        org_code: &district.org_code,
        code: &district.code,
        district: &district.id,
        year,
    }
}

fn resolve_references(items: &mut [Item], districts: &[District], diags: &mut Diagnostics) {
    let ids: BTreeMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.id.as_str(), i))
        .collect();
    let mut all_links = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let mut links = Vec::new();
        for reference in item.fields.references() {
            match resolve_one(reference, item, &ids, items, &districts[item.district]) {
                Ok(target) if target == i => {
                    diags.push(reference_error(
                        item,
                        reference,
                        "不能引用条目自身".to_string(),
                    ));
                }
                Ok(target) => links.push((reference.field, target)),
                Err(message) => diags.push(reference_error(item, reference, message)),
            }
        }
        all_links.push(links);
    }
    for (item, links) in items.iter_mut().zip(all_links) {
        item.links = links;
    }
}

fn reference_error(item: &Item, reference: &Reference, message: String) -> Diagnostic {
    let w = &reference.written;
    Diagnostic::error(&item.source, w.line, w.column, message).with_field(reference.field)
}

fn resolve_one(
    reference: &Reference,
    item: &Item,
    ids: &BTreeMap<&str, usize>,
    items: &[Item],
    district: &District,
) -> Result<usize, String> {
    let written = reference.written.value.trim().trim_matches('/');
    let id = match written.matches('/').count() {
        1 => format!("{}/{written}", district.id),
        _ => written.to_string(),
    };
    let Some(&target) = ids.get(id.as_str()) else {
        return Err(format!(
            "找不到条目“{written}”：请写 <栏目>/<slug>（同一区县）或 <区县>/<栏目>/<slug>，例如 policies/{}",
            item.slug
        ));
    };
    let wanted = match reference.field {
        "interprets" | "replaced_by" => Some(Kind::Policy),
        "bundle" => Some(Kind::Service),
        _ => None,
    };
    if let Some(kind) = wanted
        && items[target].kind() != kind
    {
        return Err(format!(
            "“{written}”是{}，这里应引用{}",
            items[target].kind().zh(),
            kind.zh()
        ));
    }
    Ok(target)
}

fn check_paths(items: &mut [Item], diags: &mut Diagnostics) {
    let mut urls: HashMap<String, String> = items
        .iter()
        .map(|i| (format!("{}/index.html", i.id), i.source.clone()))
        .collect();
    for item in items.iter() {
        check_attachments(item, diags);
        if let KindFields::Policy(p) = &item.fields
            && let Some(expires) = &p.expires
            && expires.value < item.common.date
        {
            let message = format!(
                "失效日期 {} 早于发布日期 {}",
                expires.value, item.common.date
            );
            diags.push(
                Diagnostic::error(&item.source, expires.line, expires.column, message)
                    .with_field("expires"),
            );
        }
        for alias in &item.common.aliases {
            match alias_file(&alias.value) {
                Some(url) => {
                    if let Some(other) = urls.get(&url) {
                        let message = format!("旧地址“{}”与 {} 的地址冲突", alias.value, other);
                        diags.push(
                            Diagnostic::error(&item.source, alias.line, alias.column, message)
                                .with_field("aliases"),
                        );
                    } else {
                        urls.insert(url, item.source.clone());
                    }
                }
                None => {
                    let message = format!(
                        "旧地址“{}”无效：应为本站内以 / 开头的路径，例如 /old/path/，不能包含 .. 或网址",
                        alias.value
                    );
                    diags.push(
                        Diagnostic::error(&item.source, alias.line, alias.column, message)
                            .with_field("aliases"),
                    );
                }
            }
        }
    }
}

/// The output file of an alias redirect (`old/path/index.html`, or the file
/// itself when the old URL named one, like `old/page.html`), or `None` when
/// the alias could leave the site.
pub fn alias_file(alias: &str) -> Option<String> {
    let path = alias.trim().strip_prefix('/')?;
    let is_dir = path.ends_with('/') || path.is_empty();
    let path = path.trim_end_matches('/');
    if path.is_empty() || path.contains("//") || !path.split('/').all(identity::is_safe_segment) {
        return None;
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    if !is_dir && last.contains('.') {
        Some(path.to_string())
    } else {
        Some(format!("{path}/index.html"))
    }
}

fn check_attachments(item: &Item, diags: &mut Diagnostics) {
    for attachment in &item.common.attachments {
        let file = &attachment.file;
        let error = |message: String| {
            Diagnostic::error(&item.source, file.line, file.column, message)
                .with_field("attachments")
        };
        let Some(dir) = &item.bundle_dir else {
            diags.push(error(format!(
                "附件“{}”只能用于文件夹形式的条目：请把本文件改为 <名称>/index.md，并把附件放在同一文件夹",
                file.value
            )));
            continue;
        };
        if !file.value.split('/').all(identity::is_safe_segment) {
            diags.push(error(format!(
                "附件路径“{}”无效：不能包含 ..，也不能离开条目所在文件夹",
                file.value
            )));
            continue;
        }
        let path = dir.join(&file.value);
        let inside = match (path.canonicalize(), dir.canonicalize()) {
            (Ok(p), Ok(d)) => p.starts_with(d) && p.is_file(),
            _ => false,
        };
        if !inside {
            diags.push(error(format!(
                "找不到附件“{}”：请把该文件放在条目所在文件夹中",
                file.value
            )));
        }
    }
}
