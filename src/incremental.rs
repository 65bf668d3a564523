//! What one build leaves for the next, so that an unchanged site costs
//! almost nothing to build again.
//!
//! Beside the output (`public/`) a build keeps two things:
//!
//! - `.public.gongkai-spare/`: the output of the build before, which the
//!   next build updates in place (writing only the files whose bytes
//!   changed, deleting the ones that are gone) and then exchanges with
//!   `public/` in one atomic step, as a fresh staging directory would be.
//!   Files taken unchanged from `public/` are hard links to the same file,
//!   so the two trees share them; a build never writes through a file (it
//!   removes it and creates a new one);
//! - `.public.gongkai-state`: a record of both trees (a 128-bit hash and
//!   the size of every file; the inode and modification time of every
//!   folder), which unit of rendering work ([`JobKey`]) wrote which files,
//!   and what each item and the site as a whole looked like (hashes).
//!
//! A build then renders only the jobs whose inputs changed:
//!
//! - anything site-wide ([`global_key`]: the gongkai executable itself,
//!   `site.toml`, the theme's templates and static files, districts and
//!   section texts, the set of item ids, the date, `--drafts`) changed:
//!   every job runs, and only the files whose bytes differ are written;
//! - else the items whose file changed ([`ItemState`]) and what they make
//!   stale (the same rules as `serve`: [`plan::stale_jobs`]); every other
//!   job's files are taken from `public/` (copied only where the spare
//!   tree's copy differs).
//!
//! The site's own `static/` folder is copied by every build (only changed
//! files are written). Attachments of bundle items are part of their item's
//! state by name, size and modification time.
//!
//! Hand-made changes to the output are noticed: every file of a tree must
//! still be the inode the build left, with its size and no modification
//! time after the build finished, and every folder unmodified since (a
//! file added or removed changes its folder's time). The spare tree is
//! checked whole before it is used (else a fresh staging directory is
//! used); a file of `public/` is checked before it is taken (else its job
//! is rendered). Builds into one output take turns on a lock file beside
//! it ([`crate::output::lock_output`]).

use crate::config::Config;
use crate::content::library::{Item, Library};
use crate::render::plan::{self, JobKey};
use crate::render::theme::Theme;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A 128-bit content hash.
pub type Hash = u128;

const P1: u64 = 0x9e37_79b1_85eb_ca87;
const P2: u64 = 0xc2b2_ae3d_27d4_eb4f;
const P3: u64 = 0x1656_67b1_9e37_79f9;
const P4: u64 = 0x85eb_ca77_c2b2_ae63;

/// One step of a lane: a bijection of the lane for a given word, and of
/// the word for a given lane, so one changed word always changes the lane.
fn round(lane: u64, word: u64) -> u64 {
    lane.wrapping_add(word.wrapping_mul(P2))
        .rotate_left(31)
        .wrapping_mul(P1)
}

/// Spread every bit of `h` over all bits.
fn avalanche(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P3);
    h ^ (h >> 32)
}

fn word(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(w)
}

/// A fast 128-bit hash of `bytes`: four lanes of multiply-rotate rounds over
/// 8-byte words, then two differently ordered chains over the lanes and the
/// length. Not cryptographic: it tells whether a file changed between two
/// builds of the same site, where an accidental collision is out of reach
/// and an editor who could craft one can change the page anyway.
pub fn hash(bytes: &[u8]) -> Hash {
    let mut lanes = [P1.wrapping_add(P2), P2, 0, P1.wrapping_neg()];
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        for (l, lane) in lanes.iter_mut().enumerate() {
            *lane = round(*lane, word(block, l * 8));
        }
    }
    let rest = blocks.remainder();
    let mut tail = [0u8; 32];
    tail[..rest.len()].copy_from_slice(rest);
    for (l, lane) in lanes.iter_mut().enumerate() {
        *lane = round(*lane, word(&tail, l * 8));
    }
    let len = bytes.len() as u64;
    let high = avalanche(lanes.iter().fold(len ^ P4, |h, &lane| round(h, lane)));
    let low = avalanche(lanes.iter().rev().fold(len ^ P3, |h, &lane| round(h, lane)) ^ high);
    (u128::from(high) << 64) | u128::from(low)
}

/// Hash several parts as one, each part's length included so that parts
/// cannot trade bytes.
pub fn hash_parts<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Hash {
    let mut all = Vec::new();
    for part in parts {
        all.extend_from_slice(&(part.len() as u64).to_le_bytes());
        all.extend_from_slice(&hash(part).to_le_bytes());
    }
    hash(&all)
}

/// What an item looked like to the build that rendered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemState {
    /// Everything the item's own pages depend on.
    pub key: Hash,
    /// What other pages show of it ([`plan::shown_key`]).
    pub shown: Hash,
    /// The Markdown body.
    pub body: Hash,
    /// Ids of the items it links to.
    pub links: Vec<String>,
}

/// The state of every item of `library` (same order).
pub fn item_states(library: &Library) -> Vec<ItemState> {
    library
        .items
        .par_iter()
        .map(|item| item_state(library, item))
        .collect()
}

fn item_state(library: &Library, item: &Item) -> ItemState {
    let shown = plan::shown_key(item);
    let body = hash(item.body.as_bytes());
    let attachments = item
        .bundle_dir
        .as_deref()
        .map(bundle_listing)
        .unwrap_or_default();
    let key = hash_parts([
        item.source.as_bytes(),
        &shown.to_le_bytes(),
        &body.to_le_bytes(),
        attachments.as_bytes(),
    ]);
    ItemState {
        key,
        shown,
        body,
        links: item
            .links
            .iter()
            .map(|&(_, t)| library.items[t].id.clone())
            .collect(),
    }
}

/// Name, size and modification time of every file in a bundle folder.
fn bundle_listing(dir: &Path) -> String {
    let mut lines = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(std::result::Result::ok)
    {
        let meta = entry.metadata().ok();
        let (len, mtime) = meta.map_or((0, 0), |m| (m.len(), mtime_ns(&m)));
        lines.push(format!("{}\t{len}\t{mtime}", entry.path().display()));
    }
    lines.join("\n")
}

/// Everything every page may depend on, hashed: when it changes, every job
/// runs again.
pub fn global_key(
    root: &Path,
    config: &Config,
    theme: &Theme,
    library: &Library,
    drafts: bool,
) -> Hash {
    // The executable: a different gongkai (even one built from a changed
    // checkout with the same version number) renders differently.
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::read(p).ok())
        .unwrap_or_else(|| env!("CARGO_PKG_VERSION").as_bytes().to_vec());
    let config_text = format!("{config:?}");
    let districts = format!("{:?}", library.districts);
    let mut sections: Vec<_> = library.sections.iter().collect();
    sections.sort_by_key(|(k, _)| **k);
    let sections = format!("{sections:?}");
    let ids: Vec<&str> = library.items.iter().map(|i| i.id.as_str()).collect();
    let ids = ids.join("\n");
    let today = format!("{} drafts={drafts}", library.today);
    let root = root.display().to_string();
    hash_parts([
        FORMAT,
        exe.as_slice(),
        config_text.as_bytes(),
        &theme.fingerprint().to_le_bytes(),
        districts.as_bytes(),
        sections.as_bytes(),
        ids.as_bytes(),
        today.as_bytes(),
        root.as_bytes(),
    ])
}

/// A file's modification time in nanoseconds since the epoch (0 when the
/// file system has none).
pub fn mtime_ns(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

/// A file of an output tree: its hash, size and inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileRecord {
    /// Content hash.
    pub hash: Hash,
    /// Size in bytes.
    pub size: u64,
    /// Inode number (0 where the platform has none): a file replaced by
    /// another one, even with the same size and an old time (`cp -a`,
    /// `rsync -a`), has another inode.
    pub ino: u64,
}

impl FileRecord {
    /// Whether two records are of the same bytes (wherever the files are).
    pub fn same_bytes(&self, other: &FileRecord) -> bool {
        self.hash == other.hash && self.size == other.size
    }
}

/// A file's inode number (0 where the platform has none).
pub fn inode(meta: &std::fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        std::os::unix::fs::MetadataExt::ino(meta)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0
    }
}

/// What an output tree holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TreeRecord {
    /// Every file, by site path.
    pub files: HashMap<String, FileRecord>,
    /// When the build finished writing the tree (ns since the epoch): no
    /// file or folder of the tree has changed since if none has a later
    /// modification time.
    pub finished: i128,
}

/// Now, in nanoseconds since the epoch, as file times count.
pub fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

impl TreeRecord {
    /// The record of a tree holding `files`, finished now.
    pub fn finished_now(files: HashMap<String, FileRecord>) -> TreeRecord {
        TreeRecord {
            files,
            finished: now_ns(),
        }
    }

    /// Whether the file with `meta` is still what `record` says: the same
    /// inode and size, not modified after the tree was finished.
    pub fn unchanged(&self, record: &FileRecord, meta: &std::fs::Metadata) -> bool {
        meta.is_file()
            && meta.len() == record.size
            && inode(meta) == record.ino
            && mtime_ns(meta) <= self.finished
    }

    /// Whether the tree at `dir` still is what this record says: the same
    /// top-level names; no folder modified since the tree was finished
    /// (adding, removing or renaming a file changes its folder's time);
    /// every file with its inode and size and not modified since.
    pub fn matches(&self, dir: &Path) -> bool {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return false;
        };
        let top: Option<BTreeSet<String>> = entries
            .map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        let expected: BTreeSet<String> = self
            .files
            .keys()
            .map(|p| p.split('/').next().unwrap_or(p).to_string())
            .collect();
        if top != Some(expected) {
            return false;
        }
        let mut folders: HashSet<&str> = HashSet::new();
        for path in self.files.keys() {
            let mut rest = path.as_str();
            while let Some(cut) = rest.rfind('/') {
                rest = &rest[..cut];
                if !folders.insert(rest) {
                    break;
                }
            }
        }
        let folders: Vec<&str> = folders.into_iter().collect();
        let folders_match = || {
            folders.par_iter().all(|name| {
                std::fs::symlink_metadata(dir.join(name))
                    .is_ok_and(|m| m.is_dir() && mtime_ns(&m) <= self.finished)
            })
        };
        let files_match = || {
            self.files.par_iter().all(|(rel, record)| {
                std::fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| self.unchanged(record, &m))
            })
        };
        let (folders, files) = rayon::join(folders_match, files_match);
        folders && files
    }
}

/// What a build leaves for the next one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// [`global_key`] of the build.
    pub global: Hash,
    /// Every item's state, by id.
    pub items: HashMap<String, ItemState>,
    /// The files each job wrote into the current output.
    pub jobs: HashMap<JobKey, Vec<String>>,
    /// The current output (`public/`).
    pub current: TreeRecord,
    /// The spare tree (the output before), if one is kept.
    pub spare: Option<TreeRecord>,
}

const FORMAT: &[u8] = b"gongkai-build-state 3\n";

/// The state file's bytes: little-endian numbers, strings as a length and
/// UTF-8 bytes, file paths as the length shared with the path before and
/// the rest.
#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, v: usize) -> Option<()> {
        self.0
            .extend_from_slice(&u32::try_from(v).ok()?.to_le_bytes());
        Some(())
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u128(&mut self, v: u128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) -> Option<()> {
        self.u32(s.len())?;
        self.0.extend_from_slice(s.as_bytes());
        Some(())
    }
    /// `path` after `previous`: the length of their common start, then the rest.
    fn path(&mut self, path: &str, previous: &str) -> Option<()> {
        let shared = path
            .bytes()
            .zip(previous.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        // Cut at a character boundary.
        let shared = (0..=shared)
            .rev()
            .find(|&n| path.is_char_boundary(n))
            .unwrap_or(0);
        self.u32(shared)?;
        self.str(&path[shared..])
    }
    fn file(&mut self, record: &FileRecord) {
        self.u128(record.hash);
        self.u64(record.size);
        self.u64(record.ino);
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u32(&mut self) -> Option<usize> {
        let bytes = self.take(4)?.try_into().ok()?;
        Some(u32::from_le_bytes(bytes) as usize)
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn u128(&mut self) -> Option<u128> {
        Some(u128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<&'a str> {
        let len = self.u32()?;
        std::str::from_utf8(self.take(len)?).ok()
    }
    fn path(&mut self, previous: &str) -> Option<String> {
        let shared = self.u32()?;
        let rest = self.str()?;
        let mut path = String::with_capacity(shared + rest.len());
        path.push_str(previous.get(..shared)?);
        path.push_str(rest);
        Some(path)
    }
    fn file(&mut self) -> Option<FileRecord> {
        Some(FileRecord {
            hash: self.u128()?,
            size: self.u64()?,
            ino: self.u64()?,
        })
    }
}

impl State {
    /// The state file beside the output `out`.
    pub fn path_for(out: &Path) -> PathBuf {
        crate::output::sibling(out, "state")
    }

    /// Read a state file; a missing, foreign or damaged one gives `None`.
    pub fn load(path: &Path) -> Option<State> {
        let bytes = std::fs::read(path).ok()?;
        State::decode(&bytes)
    }

    fn decode(bytes: &[u8]) -> Option<State> {
        let mut r = Reader(bytes.strip_prefix(FORMAT)?);
        let mut state = State {
            global: r.u128()?,
            ..State::default()
        };
        for _ in 0..r.u32()? {
            let id = r.str()?.to_string();
            let (key, shown, body) = (r.u128()?, r.u128()?, r.u128()?);
            let links = (0..r.u32()?)
                .map(|_| r.str().map(str::to_string))
                .collect::<Option<Vec<_>>>()?;
            let item = ItemState {
                key,
                shown,
                body,
                links,
            };
            state.items.insert(id, item);
        }
        state.current.finished = r.u128()? as i128;
        // Jobs in the order written: the spare tree refers to paths by
        // their position in that order.
        let mut keys = Vec::new();
        let mut previous = String::new();
        for _ in 0..r.u32()? {
            let key = JobKey::from_token(r.str()?)?;
            let count = r.u32()?;
            let mut paths = Vec::with_capacity(count);
            for _ in 0..count {
                let path = r.path(&previous)?;
                state.current.files.insert(path.clone(), r.file()?);
                previous.clone_from(&path);
                paths.push(path);
            }
            keys.push(key.clone());
            state.jobs.insert(key, paths);
        }
        let order: Vec<&String> = keys
            .iter()
            .filter_map(|k| state.jobs.get(k))
            .flatten()
            .collect();
        if r.take(1)? == [1] {
            let mut spare = TreeRecord {
                finished: r.u128()? as i128,
                ..TreeRecord::default()
            };
            let mut previous = String::new();
            for _ in 0..r.u32()? {
                let path = match r.u32()? {
                    0 => r.path(&previous)?,
                    n => (*order.get(n - 1)?).clone(),
                };
                spare.files.insert(path.clone(), r.file()?);
                previous = path;
            }
            state.spare = Some(spare);
        }
        r.0.is_empty().then_some(state)
    }

    /// The state as bytes; `None` when it cannot be stored (a job whose
    /// key does not survive being written, a file of no job).
    fn encode(&self) -> Option<Vec<u8>> {
        let mut w = Writer(Vec::with_capacity(48 * (self.current.files.len() + 16)));
        w.0.extend_from_slice(FORMAT);
        w.u128(self.global);
        w.u32(self.items.len())?;
        for (id, item) in &self.items {
            w.str(id)?;
            w.u128(item.key);
            w.u128(item.shown);
            w.u128(item.body);
            w.u32(item.links.len())?;
            for link in &item.links {
                w.str(link)?;
            }
        }
        w.u128(self.current.finished as u128);
        let mut jobs: Vec<_> = self.jobs.iter().collect();
        jobs.sort_by(|a, b| a.0.cmp(b.0));
        w.u32(jobs.len())?;
        // Position (from 1) of each path in the order written.
        let mut order: HashMap<&str, usize> = HashMap::with_capacity(self.current.files.len());
        let mut previous = "";
        for (key, paths) in jobs {
            let token = key.token();
            if JobKey::from_token(&token).as_ref() != Some(key) {
                return None;
            }
            w.str(&token)?;
            w.u32(paths.len())?;
            for path in paths {
                w.path(path, previous)?;
                w.file(self.current.files.get(path)?);
                order.insert(path, order.len() + 1);
                previous = path;
            }
        }
        match &self.spare {
            None => w.0.push(0),
            Some(spare) => {
                w.0.push(1);
                w.u128(spare.finished as u128);
                w.u32(spare.files.len())?;
                let mut previous = "";
                for (path, record) in &spare.files {
                    match order.get(path.as_str()) {
                        Some(&n) => w.u32(n)?,
                        None => {
                            w.u32(0)?;
                            w.path(path, previous)?;
                        }
                    }
                    w.file(record);
                    previous = path;
                }
            }
        }
        Some(w.0)
    }

    /// Write the state file atomically; a state that cannot be stored
    /// removes the file instead.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let Some(bytes) = self.encode() else {
            return match std::fs::remove_file(path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        };
        let temp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&temp, bytes)?;
        std::fs::rename(temp, path)
    }
}

/// Which jobs a build must run, given the state the previous build left.
pub struct Plan {
    /// Jobs to render; `None`: all of them.
    pub run: Option<HashSet<JobKey>>,
    /// Jobs whose files are taken from the current output, with their files.
    pub keep: Vec<(JobKey, Vec<String>)>,
}

impl Plan {
    /// Render everything.
    pub fn everything() -> Plan {
        Plan {
            run: None,
            keep: Vec::new(),
        }
    }
}

/// Decide what to render. `previous` is the state of the build that wrote
/// the current output, and only when that output still matches it.
pub fn plan(
    previous: Option<&State>,
    global: Hash,
    items: &[ItemState],
    config: &Config,
    library: &Library,
) -> Plan {
    let Some(previous) = previous else {
        return Plan::everything();
    };
    if previous.global != global || previous.items.len() != library.items.len() {
        return Plan::everything();
    }
    let mut edits = Vec::new();
    for (index, (item, state)) in library.items.iter().zip(items).enumerate() {
        let Some(old) = previous.items.get(&item.id) else {
            return Plan::everything();
        };
        if old.key != state.key {
            edits.push(plan::Edit {
                index,
                shown_changed: old.shown != state.shown,
                body_changed: old.body != state.body,
                old_links: old.links.clone(),
            });
        }
    }
    let (now, later) = plan::stale_jobs(config, library, &edits);
    let mut run: HashSet<JobKey> = now.into_iter().chain(later).collect();
    // The site's static/ folder is not part of any state: always copied.
    run.insert(JobKey::Statics);
    let mut keep = Vec::new();
    for key in plan::all_keys(config, library) {
        if run.contains(&key) {
            continue;
        }
        match previous.jobs.get(&key) {
            Some(files) => keep.push((key, files.clone())),
            None => {
                run.insert(key);
            }
        }
    }
    Plan {
        run: Some(run),
        keep,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_tells_apart_lengths_and_positions() {
        let mut seen = HashSet::new();
        for len in 0..200usize {
            let zeros = vec![0u8; len];
            assert!(seen.insert(hash(&zeros)), "zeros of length {len}");
            for at in 0..len {
                let mut one = zeros.clone();
                one[at] = 1;
                assert!(seen.insert(hash(&one)), "one at {at} of {len}");
            }
        }
        // Two changed bytes, in the same lane or in different ones.
        for len in [16usize, 32, 33, 64] {
            for at in 0..len {
                for other in at + 1..len {
                    let mut two = vec![0u8; len];
                    two[at] = 1;
                    two[other] = 0x80;
                    assert!(seen.insert(hash(&two)), "{at} and {other} of {len}");
                }
            }
        }
        assert_ne!(
            hash_parts([b"ab".as_slice(), b"c"]),
            hash_parts([b"a".as_slice(), b"bc"])
        );
    }

    #[test]
    fn state_survives_a_round_trip() {
        let mut state = State {
            global: 42,
            ..State::default()
        };
        state.items.insert(
            "d/c/x".to_string(),
            ItemState {
                key: 1,
                shown: 2,
                body: 3,
                links: vec!["d/c/y".to_string()],
            },
        );
        state.items.insert(
            "d/c/y".to_string(),
            ItemState {
                key: 4,
                shown: 5,
                body: 6,
                links: Vec::new(),
            },
        );
        let record = |h| FileRecord {
            hash: h,
            size: 7,
            ino: 1000 + h as u64,
        };
        state.jobs.insert(
            JobKey::Item("d/c/x".to_string()),
            vec!["d/c/x/index.html".to_string()],
        );
        state.jobs.insert(JobKey::Catalog(None), Vec::new());
        state.jobs.insert(
            JobKey::Column("d".into(), "c".into()),
            vec!["d/c/index.html".into()],
        );
        state
            .current
            .files
            .insert("d/c/x/index.html".into(), record(8));
        state
            .current
            .files
            .insert("d/c/index.html".into(), record(9));
        state.current.finished = 1_700_000_000_123_456_789;
        let mut spare = TreeRecord::default();
        spare.files.insert("old.html".into(), record(10));
        spare.files.insert("d/c/x/index.html".into(), record(8));
        spare.finished = 5;
        state.spare = Some(spare);
        let bytes = state.encode().unwrap();
        assert_eq!(State::decode(&bytes), Some(state.clone()));
        // A damaged or cut file is no state at all.
        assert_eq!(State::decode(&bytes[..bytes.len() - 1]), None);
        assert_eq!(State::decode(&bytes[1..]), None);
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(State::decode(&longer), None);
        // Paths that share the first bytes of a character (甲 E7 94 B2,
        // 由 E7 94 B1) are cut at a character boundary.
        let mut chinese = state.clone();
        for path in ["d/甲/index.html", "d/由/index.html"] {
            chinese.current.files.insert(path.into(), record(11));
            let paths = chinese.jobs.get_mut(&JobKey::Catalog(None)).unwrap();
            paths.push(path.into());
        }
        let bytes = chinese.encode().unwrap();
        assert_eq!(State::decode(&bytes), Some(chinese));
        // A job's file without a record: no state kept.
        let mut no_record = state.clone();
        let paths = no_record.jobs.get_mut(&JobKey::Catalog(None)).unwrap();
        paths.push("gone.html".into());
        assert_eq!(no_record.encode(), None);
    }
}
